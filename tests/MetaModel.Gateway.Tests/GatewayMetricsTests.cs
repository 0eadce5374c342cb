using System.Diagnostics.Metrics;
using System.Net;
using MetaModel.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MetaModel.Gateway.Tests;

/// <summary>The gateway's own meter: requests by tenant and status, and each budgeted tenant's remaining spend.</summary>
public sealed class GatewayMetricsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHost _host = fixture.Host;

    [Fact]
    public async Task Requests_AreCountedByTenantAndStatus_AndBudgetRemainingIsObservable()
    {
        object factory = _host.Services.GetRequiredService<IMeterFactory>();
        var requests = new List<(long Value, Dictionary<string, object?> Tags)>();
        var remaining = new List<(double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GatewayMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (requests)
            {
                requests.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            remaining.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        using HttpResponseMessage ok =
            await _host.Http.SendAsync(_host.Post("""{"model":"small","messages":[{"role":"user","content":"hi"}]}"""));
        using HttpResponseMessage missing =
            await _host.Http.SendAsync(_host.Post("""{"model":"nope","messages":[{"role":"user","content":"hi"}]}"""));
        ok.StatusCode.Should().Be(HttpStatusCode.OK);
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);

        // The count is taken when the response has completed, which can trail the client's read a little.
        for (int i = 0; i < 100 && requests.Count < 2; i++)
        {
            await Task.Delay(20);
        }

        listener.RecordObservableInstruments();

        lock (requests)
        {
            requests.Select(r => ((string)r.Tags["metamodel.tenant.id"]!, (int)r.Tags["http.response.status_code"]!))
                .Should().BeEquivalentTo([("acme", 200), ("acme", 404)]);
        }

        remaining.Should().Contain(r => (string)r.Tags["metamodel.tenant.id"]! == "acme" && r.Value <= 100 && r.Value > 99);
        remaining.Should().Contain(r => (string)r.Tags["metamodel.tenant.id"]! == "broke" && r.Value == 0);
        remaining
            .Should().NotContain(r => (string)r.Tags["metamodel.tenant.id"]! == "mars", "a tenant without a budget has no gauge");
    }
}
