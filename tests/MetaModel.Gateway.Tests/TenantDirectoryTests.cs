using MetaModel.DependencyInjection;
using MetaModel.Gateway.Tenants;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetaModel.Gateway.Tests;

public sealed class TenantDirectoryTests
{
    private const string Pepper = "unit-test-pepper-0123456789";

    [Fact]
    public void Hash_IsHmacSha256OfTheKeyUnderThePepper()
    {
        // Reference value computed independently: HMAC-SHA-256(key = pepper, message = API key).
        string expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            "unit-test-pepper-0123456789"u8, "sk-1"u8));

        ApiKeyHasher.Hash(Pepper, "sk-1").Should().Be(expected).And.HaveLength(64);
        ApiKeyHasher.Hash(Pepper + "x", "sk-1").Should().NotBe(expected, "another pepper gives another hash");
        ApiKeyHasher.IsWellFormed(expected).Should().BeTrue();
        ApiKeyHasher.IsWellFormed("sk-1").Should().BeFalse();
    }

    [Theory]
    [InlineData("Bearer sk-alpha", "alpha")]
    [InlineData("bearer sk-beta", "beta")]
    [InlineData("Bearer  sk-alpha ", "alpha")]
    [InlineData("Bearer sk-gamma", null)]
    [InlineData("Basic sk-alpha", null)]
    [InlineData("Bearer ", null)]
    [InlineData(null, null)]
    public void TryAuthenticate_FindsTheTenantOfAKnownKeyOnly(string? header, string? tenant)
    {
        TenantDirectory directory = Build(new GatewayOptions { ApiKeyPepper = Pepper }
            .WithTenant("alpha", "sk-alpha")
            .WithTenant("beta", "sk-beta"));

        bool found = directory.TryAuthenticate(header, out Tenant? result);

        found.Should().Be(tenant is not null);
        result?.Id.Should().Be(tenant);
    }

    [Fact]
    public void Constructor_InvalidSettings_ListsEveryProblem()
    {
        var options = new GatewayOptions { ApiKeyPepper = "short" };
        options.Tenants["plain"] = new TenantOptions { MetaModel = "missing" };
        options.Tenants["plain"].ApiKeyHashes.Add("sk-plaintext-key");

        Action build = () => Build(options);

        OptionsValidationException error = build.Should().Throw<OptionsValidationException>().Which;
        error.Failures.Should().HaveCount(3);
        error.Message.Should().Contain("ApiKeyPepper").And.Contain("64 hexadecimal").And.Contain("'missing'");
    }

    private static TenantDirectory Build(GatewayOptions options)
    {
        var services = new ServiceCollection();
        services.AddMetaModel("metamodel").AddCandidate("only", new Infrastructure.ScriptedChatClient("m", "a"));
        ServiceProvider provider = services.BuildServiceProvider();
        return new TenantDirectory(Options.Create(options), provider);
    }
}

internal static class GatewayOptionsExtensions
{
    public static GatewayOptions WithTenant(this GatewayOptions options, string id, string key)
    {
        var tenant = new TenantOptions { MetaModel = "metamodel" };
        tenant.ApiKeyHashes.Add(ApiKeyHasher.Hash(options.ApiKeyPepper!, key));
        options.Tenants[id] = tenant;
        return options;
    }
}
