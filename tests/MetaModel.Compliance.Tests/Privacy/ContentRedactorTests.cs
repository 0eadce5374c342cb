using MetaModel.Compliance.Privacy;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace MetaModel.Compliance.Tests.Privacy;

public sealed class ContentRedactorTests
{
    private readonly ContentRedactor _redactor = new();

    [Theory]
    [InlineData("my key is sk-proj-Abc123Def456Ghi789Jkl012Mno345", "sk-proj-Abc123")]
    [InlineData("use sk-ant-api03-AAAABBBBCCCCDDDDEEEEFFFF please", "sk-ant-api03")]
    [InlineData("aws AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("google AIzaSyA1234567890abcdefghijklmnopqrstu here", "AIzaSyA1234567890")]
    [InlineData("token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdef")]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature", "eyJhbGciOiJIUzI1NiJ9")]
    [InlineData("api_key=Zx9Qw8Er7Ty6 and more", "Zx9Qw8Er7Ty6")]
    [InlineData("password: hunter22hunter", "hunter22hunter")]
    public void Redact_Credentials_AreRemoved(string text, string secret)
    {
        string redacted = _redactor.Redact(text)!;

        redacted.Should().NotContain(secret).And.Contain("[redacted:Secret]");
    }

    [Theory]
    [InlineData("write to jane.doe+news@example.co.uk today", "jane.doe", "EmailAddress")]
    [InlineData("call +49 30 1234 5678 now", "1234 5678", "PhoneNumber")]
    [InlineData("call (555) 123-4567 now", "123-4567", "PhoneNumber")]
    [InlineData("card 4111 1111 1111 1111 exp", "4111 1111", "PaymentCard")]
    [InlineData("card 5500-0000-0000-0004 exp", "5500-0000", "PaymentCard")]
    public void Redact_PersonalData_IsLabelled(string text, string secret, string label)
    {
        string redacted = _redactor.Redact(text)!;

        redacted.Should().NotContain(secret).And.Contain($"[redacted:{label}]");
    }

    [Theory]
    [InlineData("The answer is 42.")]
    [InlineData("In 2026 there were 12 releases.")]
    [InlineData("Order 4111 1111 1111 1112 is not a card")]
    public void Redact_OrdinaryText_IsUnchanged(string text)
    {
        _redactor.Redact(text).Should().BeSameAs(text);
    }

    [Fact]
    public void Redact_WithProvider_UsesItsRedactorPerClassification()
    {
        var redactor = new ContentRedactor(new EraseEmails());

        string redacted = redactor.Redact("mail bob@example.com, key sk-live-1234567890abcdefghij")!;

        redacted.Should().Be("mail , key ####", "got: " + redacted);
    }

    [Fact]
    public void Pseudonymizer_ShortKey_IsRefused()
    {
        Action act = () => _ = new Pseudonymizer(new byte[8], "k");

        act.Should().Throw<ArgumentException>().WithMessage("*at least 16 bytes*");
    }

    private sealed class EraseEmails : IRedactorProvider
    {
        public Redactor GetRedactor(DataClassificationSet classifications) =>
            classifications.Equals(new DataClassificationSet(SensitiveData.EmailAddress))
                ? new Microsoft.Extensions.Compliance.Redaction.ErasingRedactor()
                : new Hashes();
    }

    private sealed class Hashes : Redactor
    {
        public override int GetRedactedLength(ReadOnlySpan<char> input) => 4;

        public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
        {
            "####".AsSpan().CopyTo(destination);
            return 4;
        }
    }
}
