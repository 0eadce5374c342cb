using MetaModel.Compliance;
using MetaModel.Routing;

namespace MetaModel.Compliance.Tests.Fakes;

/// <summary>Builds records with sensible values for tests.</summary>
public static class Records
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static DecisionRecord Decision(
        string id,
        string? tenant = "acme",
        string? user = "alice@example.com",
        DateTimeOffset? at = null) => new(
        id,
        at ?? Start,
        "metamodel",
        tenant,
        user,
        null,
        false,
        12,
        "ordered",
        "1",
        [
            new CandidateAssessment("A", true, null, null, 1.0, 1),
            new CandidateAssessment("B", false, ExclusionKind.Constraint, "region not in [eu]", null, null),
        ],
        "A",
        false,
        "first in order");

    public static OutcomeRecord Outcome(
        string id,
        string? answeredBy = "A",
        DateTimeOffset? at = null,
        long input = 100,
        long output = 50,
        decimal cost = 0.001m,
        double? energy = 0.5,
        string? error = null) => new(
        id,
        at ?? Start,
        answeredBy,
        error is null,
        error is null ? "stop" : null,
        false,
        0,
        input,
        output,
        cost,
        false,
        energy,
        TimeSpan.FromMilliseconds(120),
        error is null ? null : "HttpRequestException",
        error);

    public static AttemptRecord Attempt(string id, string? error = null) => new(
        id,
        1,
        "A",
        Start,
        TimeSpan.FromMilliseconds(100),
        null,
        error is null,
        false,
        error is null ? null : "HttpRequestException",
        error,
        false);
}
