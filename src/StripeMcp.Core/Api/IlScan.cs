using System.Reflection;
using System.Reflection.Emit;

namespace StripeMcp.Api;

/// <summary>
/// What a Stripe.net service method requests, read from its IL: the HTTP method it loads
/// (<c>HttpMethod.Post</c>), the base address (<c>BaseAddress.Api</c>) and the literal parts of its path, in
/// order (<c>"/v1/quotes/"</c>, <c>"/accept"</c> for <c>$"/v1/quotes/{id}/accept"</c>). Stripe.net's services are
/// generated, one request per method, so this is the API as the SDK we ship speaks it.
/// </summary>
internal static class IlScan
{
    public sealed record Request(string Method, string Base, IReadOnlyList<string> Literals);

    private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => unchecked((ushort)o.Value));

    /// <summary>The request <paramref name="m"/> makes, or null when its body is not one request.</summary>
    public static Request? Of(MethodInfo m)
    {
        var il = m.GetMethodBody()?.GetILAsByteArray();
        if (il is null) return null;
        string? verb = null, address = null;
        var literals = new List<string>();
        for (var i = 0; i < il.Length;)
        {
            ushort value = il[i];
            var size = 1;
            if (value == 0xFE && i + 1 < il.Length) { value = (ushort)(0xFE00 | il[i + 1]); size = 2; }
            if (!OpCodesByValue.TryGetValue(value, out var op)) return null;
            var operand = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i + size),
                _ => 4,
            };
            if (op == OpCodes.Ldstr) literals.Add(m.Module.ResolveString(BitConverter.ToInt32(il, i + size)));
            else if (op == OpCodes.Ldsfld || op == OpCodes.Call)
            {
                switch (Resolve(m, BitConverter.ToInt32(il, i + size)))
                {
                    case FieldInfo f when f.DeclaringType == typeof(HttpMethod): verb = f.Name; break;
                    case MethodInfo g when g.DeclaringType == typeof(HttpMethod) && g.Name.StartsWith("get_", StringComparison.Ordinal): verb = g.Name[4..]; break;
                    case FieldInfo f when f.DeclaringType?.Name == "BaseAddress": address = f.Name; break;
                    case MethodInfo g when g.DeclaringType?.Name == "BaseAddress" && g.Name.StartsWith("get_", StringComparison.Ordinal): address = g.Name[4..]; break;
                }
            }
            i += size + operand;
        }
        return verb is null || literals.Count == 0 ? null : new Request(verb.ToUpperInvariant(), address ?? "Api", literals);
    }

    private static MemberInfo? Resolve(MethodInfo m, int token)
    {
        try { return m.Module.ResolveMember(token, m.DeclaringType?.GetGenericArguments(), m.GetGenericArguments()); }
        catch (ArgumentException) { return null; }
    }
}
