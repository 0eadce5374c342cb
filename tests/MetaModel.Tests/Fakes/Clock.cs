using Microsoft.Extensions.Time.Testing;

namespace MetaModel.Tests.Fakes;

/// <summary>Runs work that waits on a fake clock, moving the clock forward until the work ends.</summary>
public static class Clock
{
    public static async Task<T> RunAsync<T>(FakeTimeProvider time, Func<Task<T>> work, TimeSpan? step = null)
    {
        Task<T> task = work();
        await AdvanceUntilAsync(time, task, step);
        return await task;
    }

    public static async Task RunAsync(FakeTimeProvider time, Func<Task> work, TimeSpan? step = null)
    {
        Task task = work();
        await AdvanceUntilAsync(time, task, step);
        await task;
    }

    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Task task, TimeSpan? step)
    {
        TimeSpan by = step ?? TimeSpan.FromMilliseconds(100);
        for (int i = 0; i < 100_000 && !task.IsCompleted; i++)
        {
            await Task.Delay(1);
            if (!task.IsCompleted)
            {
                time.Advance(by);
            }
        }
    }
}
