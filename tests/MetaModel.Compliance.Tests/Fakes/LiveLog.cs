using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Storage;

namespace MetaModel.Compliance.Tests.Fakes;

/// <summary>Verifies a stream again and again while a writer appends to it and runs retention on it.</summary>
public static class LiveLog
{
    public static async Task ExerciseAsync(IComplianceLogStore store, string stream, int verifications = 30)
    {
        DateTimeOffset clock = Records.Start;
        _ = await store.AppendAsync(stream, Chain.ChainVerifierTests.Pending(20, clock));
        using var stop = new CancellationTokenSource();
        long batches = 0;
        Task writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                clock = clock.AddMinutes(1);
                _ = await store.AppendAsync(stream, Chain.ChainVerifierTests.Pending(3, clock));

                // Every tenth batch, a run deletes what is older than the last five batches.
                if (Interlocked.Increment(ref batches) % 10 == 0)
                {
                    _ = await store.DeleteBeforeAsync(stream, clock.AddMinutes(-5), clock.AddSeconds(30));
                }
            }
        });

        // Verifications go on until the writer has run retention a few times, for at most half a minute.
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            for (int i = 0;
                 i < verifications || (Interlocked.Read(ref batches) < 30 && elapsed.Elapsed.TotalSeconds < 30);
                 i++)
            {
                VerificationReport report = await ChainVerifier.VerifyAsync(store, stream);
                report.IsValid.Should().BeTrue($"verification {i}: " + string.Join("; ", report.Problems));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }

        Interlocked.Read(ref batches).Should().BeGreaterThanOrEqualTo(30, "the writer ran retention while the log was verified");
        (await ChainVerifier.VerifyAsync(store, stream)).IsValid.Should().BeTrue();
    }
}
