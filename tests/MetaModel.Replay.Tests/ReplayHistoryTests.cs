using MetaModel.Routing;
using MetaModel.Policies;

namespace MetaModel.Replay.Tests;

public sealed class ReplayHistoryTests
{
    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(-0.25, "-0.25")]
    public async Task ForBanditAsync_AScoreOutsideZeroToOne_IsAReplayDataErrorNamingTheFilePromptModelAndScore(
        double score,
        string shown)
    {
        ReplayDataset dataset = Dataset(("s1", 1), ("s2", score), ("s3", 0));
        var featurizer = new CountingFeaturizer();

        Func<Task> build = () => ReplayHistory.ForBanditAsync(dataset, featurizer);

        ReplayDataException error = (await build.Should().ThrowAsync<ReplayDataException>()).Which;
        error.FilePath.Should().Be("/data/scores.csv");
        error.Column.Should().Be("dear");
        error.Message.Should().Be(
            $"Replay data file '/data/scores.csv', column 'dear': Prompt 's2' has a score of {shown} for model " +
            "'dear'; scores are answer qualities from 0 to 1 (rescale other scales).");
        featurizer.Calls.Should().Be(0, "the scores are checked before any prompt is featurized");
    }

    [Fact]
    public async Task ForBanditAsync_ScoresFromZeroToOne_AreLearnedAsRecorded()
    {
        ReplayDataset dataset = Dataset(("s1", 1), ("s2", 0.25), ("s3", 0));

        IReadOnlyList<BanditHistoryRecord> records =
            await ReplayHistory.ForBanditAsync(dataset, new CountingFeaturizer());

        records.Where(r => r.CandidateId == "dear").Select(r => r.Quality).Should().Equal(1, 0.25, 0);
        records.Where(r => r.CandidateId == "cheap").Select(r => r.Quality).Should().Equal(0.5, 0.5, 0.5);
    }

    /// <summary>A dataset built in code, where "dear" has the given score on each prompt and "cheap" 0.5.</summary>
    internal static ReplayDataset Dataset(params (string SampleId, double DearScore)[] prompts) =>
        new(
            "scores",
            "/data/scores.csv",
            ReplayFormat.RouterBench,
            [new ReplayModel("cheap"), new ReplayModel("dear")],
            prompts.Select(p => new ReplayPrompt(
                p.SampleId,
                "task",
                $"Question {p.SampleId}?",
                [
                    new("cheap", new ReplayOutcome(0.5, 0.001m)),
                    new("dear", new ReplayOutcome(p.DearScore, 0.01m)),
                ])));

    private sealed class CountingFeaturizer : IPromptFeaturizer
    {
        public int Calls { get; private set; }

        public int Dimension => 2;

        public ValueTask FeaturizeAsync(
            IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages,
            Memory<float> destination,
            CancellationToken cancellationToken = default)
        {
            Calls++;
            destination.Span[0] = 1;
            return default;
        }
    }
}
