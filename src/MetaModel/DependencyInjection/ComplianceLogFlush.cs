using MetaModel.Compliance.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MetaModel.DependencyInjection;

/// <summary>Writes a metamodel's queued decision records when its host stops.</summary>
/// <remarks>
/// The container writes the queue when it disposes the recorder; an application that stops its host and exits without
/// disposing it would lose what was still queued. A recorder the container never created has no queue: stopping
/// the host does not create it, which would open its store (or fail to) only to write nothing.
/// </remarks>
internal sealed class ComplianceLogFlush(IServiceProvider services, string key) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (services.GetKeyedService<ComplianceLogRecorderSlot>(key)?.Recorder is not { } recorder)
            {
                return;
            }

            await recorder.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The recorder or the whole container was already disposed, which wrote the queue.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout passed; disposing the recorder still writes what is left.
        }
    }
}
