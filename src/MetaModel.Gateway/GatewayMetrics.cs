using System.Diagnostics.Metrics;
using MetaModel.Gateway.Tenants;

namespace MetaModel.Gateway;

/// <summary>The gateway's metrics, on the meter <see cref="MeterName"/>: requests by tenant and status, budget left.</summary>
/// <remarks>
/// Names are MetaModel's own (<c>metamodel.gateway.*</c>); the routing itself is measured by the library's
/// <c>MetaModel</c> meter and traced by its activity source. Tenant ids are low-cardinality configuration keys,
/// never user input, so they are safe as metric tags.
/// </remarks>
internal sealed class GatewayMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MetaModel.Gateway";

    /// <summary>Counter of answered requests, by tenant and HTTP status.</summary>
    public const string RequestsName = "metamodel.gateway.requests";

    /// <summary>Gauge of each budgeted tenant's remaining spend in the current period, in US dollars.</summary>
    public const string BudgetRemainingName = "metamodel.gateway.budget.remaining";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;

    public GatewayMetrics(IMeterFactory meterFactory, TenantDirectory tenants, BudgetLedger budgets)
    {
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>(RequestsName, "{request}", "Requests the gateway answered, by tenant and status.");
        _meter.CreateObservableGauge(
            BudgetRemainingName,
            () => tenants.Tenants
                .Where(t => t.Budget is not null)
                .Select(t => new Measurement<double>(
                    (double)(budgets.Remaining(t) ?? 0),
                    new KeyValuePair<string, object?>("metamodel.tenant.id", t.Id))),
            "{USD}",
            "Spend left to each budgeted tenant in the current period.");
    }

    /// <summary>Counts one answered request.</summary>
    public void Answered(string tenant, int status)
    {
        if (_requests.Enabled)
        {
            _requests.Add(
                1,
                new KeyValuePair<string, object?>("metamodel.tenant.id", tenant),
                new KeyValuePair<string, object?>("http.response.status_code", status));
        }
    }

    public void Dispose() => _meter.Dispose();
}
