using System.Net;
using System.Text.Json;
using MetaModel.Gateway.Tenants;
using MetaModel.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MetaModel.Gateway.Tests;

/// <summary>
/// Requests running at once cannot together overrun a tenant's budget: each reserves its estimated cost at admission,
/// and its real cost settles the reservation when it ends.
/// </summary>
public sealed class BudgetReservationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHost _host = fixture.Host;

    [Fact]
    public async Task ParallelRequests_AreAdmittedOnlyWhileTheirEstimatesFit_AndSettleAtTheirRealCost()
    {
        // 1 USD a month with 0.90 spent; each request is estimated at 0.05 USD (5 prompt and 45 completion tokens at
        // 0.001 USD each), so two of eight fit, and the other six are refused while the two are still running.
        Tenant tenant = Tenant("shared");
        BudgetLedger ledger = _host.Services.GetRequiredService<BudgetLedger>();
        ledger.Charge(tenant, 0.90m);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _host.Held.Hold = release.Task;
        const string Body = """{"model":"held-one","max_tokens":45,"messages":[{"role":"user","content":"hi"}]}""";

        Task<HttpResponseMessage>[] requests =
            [.. Enumerable.Range(0, 8).Select(_ => _host.Http.SendAsync(_host.Post(Body, GatewayHost.SharedKey)))];
        for (int i = 0; i < 1000 && requests.Count(r => r.IsCompleted) < 6; i++)
        {
            await Task.Delay(10);
        }

        HttpResponseMessage[] refused = [.. requests.Where(r => r.IsCompleted).Select(r => r.Result)];
        refused.Should().HaveCount(6).And.OnlyContain(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        ledger.Remaining(tenant).Should().Be(0m, "the two running requests hold the rest of the budget");
        using (JsonDocument error = JsonDocument.Parse(await refused[0].Content.ReadAsStringAsync()))
        {
            error.RootElement.GetProperty("error").GetProperty("message").GetString().Should()
                .Contain("no budget left").And.Contain("requests still running");
        }

        release.SetResult();
        HttpResponseMessage[] all = await Task.WhenAll(requests);
        all.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(2);
        _host.Held.Calls.Should().Be(2);

        // Each answer really cost 0.015 USD (10 prompt and 5 completion tokens): what is left is the rest.
        ledger.Remaining(tenant).Should().Be(1m - 0.90m - (2 * 0.015m));
        foreach (HttpResponseMessage response in all)
        {
            response.Dispose();
        }
    }

    private Tenant Tenant(string id) =>
        _host.Services.GetRequiredService<TenantDirectory>().Tenants.Single(t => t.Id == id);
}
