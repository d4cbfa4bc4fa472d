using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox;

/// <summary>An error in Stripe's envelope: {"error": {type, code, param, message, …}} with its HTTP status.</summary>
public sealed class StripeError(int status, string type, string message, string? code = null, string? param = null) : Exception(message)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    public string? Code { get; } = code;
    public string? Param { get; } = param;
    public string? DeclineCode { get; init; }
    /// <summary>Extra fields Stripe adds for some errors (charge, payment_intent, …).</summary>
    public JsonObject Extra { get; } = new();

    public JsonObject ToJson()
    {
        var error = new JsonObject { ["type"] = Type };
        if (Code is not null) error["code"] = Code;
        if (DeclineCode is not null) error["decline_code"] = DeclineCode;
        if (Param is not null) error["param"] = Param;
        error["message"] = Message;
        if (Code is not null) error["doc_url"] = $"https://stripe.com/docs/error-codes/{Code.Replace('_', '-')}";
        foreach (var (k, v) in Extra) error[k] = v?.DeepClone();
        return new JsonObject { ["error"] = error };
    }

    public static StripeError Invalid(string message, string? param = null, string? code = null) =>
        new(400, "invalid_request_error", message, code, param);

    public static StripeError Missing(string objectName, string id, string param = "id") =>
        new(404, "invalid_request_error", $"No such {objectName}: '{id}'", "resource_missing", param);

    public static StripeError ParamMissing(string param) =>
        new(400, "invalid_request_error", $"Missing required param: {param}.", "parameter_missing", param);

    public static StripeError ParamUnknown(string param) =>
        new(400, "invalid_request_error", $"Received unknown parameter: {param}", "parameter_unknown", param);

    public static StripeError InvalidInteger(string param, string value) =>
        new(400, "invalid_request_error", $"Invalid integer: {value}", "parameter_invalid_integer", param);

    public static StripeError InvalidState(string message, string? param = null) =>
        new(400, "invalid_request_error", message, "resource_invalid_state", param);
}
