using Microsoft.Extensions.Compliance.Classification;

namespace MetaModel.Compliance.Privacy;

/// <summary>The kinds of sensitive data that MetaModel finds in text and redacts before anything is stored.</summary>
public static class SensitiveData
{
    /// <summary>The taxonomy name of MetaModel's classifications.</summary>
    public const string TaxonomyName = "MetaModel";

    /// <summary>Gets the classification of API keys, access tokens and other credentials.</summary>
    public static DataClassification Secret { get; } = new(TaxonomyName, "Secret");

    /// <summary>Gets the classification of e-mail addresses.</summary>
    public static DataClassification EmailAddress { get; } = new(TaxonomyName, "EmailAddress");

    /// <summary>Gets the classification of telephone numbers.</summary>
    public static DataClassification PhoneNumber { get; } = new(TaxonomyName, "PhoneNumber");

    /// <summary>Gets the classification of payment card numbers (those that pass the Luhn check).</summary>
    public static DataClassification PaymentCard { get; } = new(TaxonomyName, "PaymentCard");
}
