using MetaModel.Routing;
using Microsoft.Extensions.AI;

namespace MetaModel.Gateway.Tests.Infrastructure;

/// <summary>A featurizer that writes a constant vector and records the task label it was given.</summary>
public sealed class TaskRecordingFeaturizer : IPromptFeaturizer
{
    private string? _lastTask;

    public int Dimension => 4;

    public string? LastTask => Volatile.Read(ref _lastTask);

    public ValueTask FeaturizeAsync(
        IEnumerable<ChatMessage> messages,
        Memory<float> destination,
        CancellationToken cancellationToken = default) =>
        FeaturizeAsync(messages, task: null, destination, cancellationToken);

    public ValueTask FeaturizeAsync(
        IEnumerable<ChatMessage> messages,
        string? task,
        Memory<float> destination,
        CancellationToken cancellationToken = default)
    {
        destination.Span.Fill(0.5f);
        Volatile.Write(ref _lastTask, task);
        return default;
    }
}
