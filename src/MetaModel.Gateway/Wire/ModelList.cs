namespace MetaModel.Gateway.Wire;

/// <summary>The answer of <c>GET /v1/models</c>.</summary>
internal sealed class ModelList
{
    public string Object { get; init; } = "list";

    public required IReadOnlyList<ModelEntry> Data { get; init; }
}

/// <summary>One model a tenant may name: its metamodel or one of the candidates.</summary>
internal sealed class ModelEntry
{
    public required string Id { get; init; }

    public string Object { get; init; } = "model";

    public long Created { get; init; }

    public required string OwnedBy { get; init; }
}
