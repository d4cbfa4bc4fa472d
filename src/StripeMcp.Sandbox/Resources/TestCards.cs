namespace StripeMcp.Sandbox.Resources;

/// <summary>Stripe's test payment methods (pm_card_visa …) and what each does when charged.</summary>
internal static partial class Payments
{
    /// <summary>Stripe's test payment methods and what they do.</summary>
    private sealed record TestCard(string Brand, string Last4, string? DeclineCode = null, string Code = "card_declined", string Message = "Your card was declined.", bool Authenticate = false, bool Dispute = false);

    private static readonly Dictionary<string, TestCard> TestCards = new(StringComparer.Ordinal)
    {
        ["pm_card_visa"] = new("visa", "4242"),
        ["pm_card_mastercard"] = new("mastercard", "4444"),
        ["pm_card_amex"] = new("amex", "8431"),
        ["pm_card_visa_debit"] = new("visa", "5556"),
        ["pm_card_chargeDeclined"] = new("visa", "0002", "generic_decline"),
        ["pm_card_chargeDeclinedInsufficientFunds"] = new("visa", "9995", "insufficient_funds", Message: "Your card has insufficient funds."),
        ["pm_card_chargeDeclinedLostCard"] = new("visa", "9987", "lost_card"),
        ["pm_card_chargeDeclinedStolenCard"] = new("visa", "9979", "stolen_card"),
        ["pm_card_chargeDeclinedFraudulent"] = new("visa", "0019", "fraudulent"),
        ["pm_card_chargeDeclinedExpiredCard"] = new("visa", "0069", "expired_card", "expired_card", "Your card has expired."),
        ["pm_card_chargeDeclinedIncorrectCvc"] = new("visa", "0127", "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
        ["pm_card_chargeDeclinedProcessingError"] = new("visa", "0119", "processing_error", "processing_error", "An error occurred while processing your card. Try again in a little bit."),
        ["pm_card_authenticationRequired"] = new("visa", "3155", Authenticate: true),
        ["pm_card_createDispute"] = new("visa", "0259", Dispute: true),
    };
}
