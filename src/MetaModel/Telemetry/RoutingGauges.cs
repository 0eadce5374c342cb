using System.Runtime.CompilerServices;
using System.Diagnostics.Metrics;
using MetaModel.Costs;
using MetaModel.Resilience;
using Attr = MetaModel.Telemetry.MetaModelTelemetry.Attributes;

namespace MetaModel.Telemetry;

/// <summary>
/// The observable gauges of every live metamodel: each candidate's circuit state and each budget's remaining spend.
/// Read only when a metrics listener collects, never on the request path.
/// </summary>
internal static class RoutingGauges
{
    // Weak: a metamodel that is dropped without being disposed is not kept alive by its gauges.
    private static readonly ConditionalWeakTable<MetaModelChatClient, object?> s_live = [];

    static RoutingGauges()
    {
        RoutingTelemetry.Meter.CreateObservableGauge(
            MetaModelTelemetry.Metrics.CircuitState,
            ObserveCircuits,
            "{state}",
            "Each candidate's circuit: 0 healthy, 1 cooling down, 2 awaiting a probe, 3 probing.");
        RoutingTelemetry.Meter.CreateObservableGauge(
            MetaModelTelemetry.Metrics.BudgetRemaining,
            ObserveBudgets,
            "{USD}",
            "Spend left in the current period of each budget limit, after reservations of running requests.");
    }

    /// <summary>Starts observing a metamodel.</summary>
    public static void Add(MetaModelChatClient client) => s_live.AddOrUpdate(client, null);

    /// <summary>Stops observing a metamodel, when it is disposed.</summary>
    public static void Remove(MetaModelChatClient client) => s_live.Remove(client);

    private static IEnumerable<Measurement<int>> ObserveCircuits()
    {
        foreach ((MetaModelChatClient client, _) in s_live)
        {
            foreach (CandidateHealthSnapshot health in client.GetCandidateHealth())
            {
                yield return new Measurement<int>(
                    (int)health.State,
                    new KeyValuePair<string, object?>(Attr.RouterName, client.Options.Name),
                    new KeyValuePair<string, object?>(Attr.CandidateId, health.CandidateId),
                    new KeyValuePair<string, object?>(Attr.CircuitState, health.State.ToString()));
            }
        }
    }

    private static IEnumerable<Measurement<double>> ObserveBudgets()
    {
        foreach ((MetaModelChatClient client, _) in s_live)
        {
            // Each limit once: the statuses of a tenant include the limits of every tenant, so keep its own.
            foreach (string? tenant in client.Budgets.Limits.Select(l => l.TenantId).Distinct())
            {
                foreach (BudgetStatus status in client.Budgets.GetStatus(tenant).Where(s => s.Limit.TenantId == tenant))
                {
                    yield return new Measurement<double>(
                        (double)status.RemainingUsd,
                        new KeyValuePair<string, object?>(Attr.RouterName, client.Options.Name),
                        new KeyValuePair<string, object?>(Attr.TenantId, tenant ?? "*"),
                        new KeyValuePair<string, object?>(Attr.BudgetPeriod, status.Limit.Period.ToString()));
                }
            }
        }
    }
}
