using System.Diagnostics;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace MetaModel.Replay.Tests;

/// <summary>Reads the real recorded outcomes in the shared data folder (see its README).</summary>
public sealed class SharedDataTests(ITestOutputHelper output)
{
    private static readonly string[] RouterBenchModels =
    [
        "WizardLM/WizardLM-13B-V1.2", "claude-instant-v1", "claude-v1", "claude-v2", "gpt-3.5-turbo-1106",
        "gpt-4-1106-preview", "meta/code-llama-instruct-34b-chat", "meta/llama-2-70b-chat",
        "mistralai/mistral-7b-chat", "mistralai/mixtral-8x7b-chat", "zero-one-ai/Yi-34B-Chat",
    ];

    [Theory]
    [InlineData("arc_challenge_train.csv", 1039, "arc-challenge")]
    [InlineData("mbpp_train.csv", 299, "mbpp")]
    [InlineData("winograde_train.csv", 887, "winogrande")]
    public void RouterBench_EachFile_HasItsRowsAndElevenModels(
        string fileName,
        int rows,
        string task)
    {
        var dataset = RouterBenchReader.Read(Path.Combine(SharedData.RouterBench, fileName));

        dataset.Prompts.Should().HaveCount(rows);
        dataset.Prompts.Should().OnlyContain(p => p.Task == task);
        dataset.Models.Select(m => m.Id).Should().BeEquivalentTo(RouterBenchModels);
    }

    [Fact]
    public void RouterBench_Folder_LoadsEveryFileWithCompleteOutcomes()
    {
        var stopwatch = Stopwatch.StartNew();
        var dataset = ReplayDatasetLoader.Load(SharedData.RouterBench);
        stopwatch.Stop();
        output.WriteLine($"Loaded {dataset} in {stopwatch.Elapsed.TotalMilliseconds:F0} ms.");

        dataset.Format.Should().Be(ReplayFormat.RouterBench);
        dataset.Prompts.Should().HaveCount(1039 + 299 + 887);
        dataset.Models.Should().HaveCount(11);
        dataset.Prompts.Select(p => p.Task).Distinct().Should().BeEquivalentTo("arc-challenge", "mbpp", "winogrande");

        var outcomes = dataset.Prompts.SelectMany(p => p.Outcomes.Values).ToList();
        dataset.Prompts.Should().OnlyContain(p => p.Outcomes.Count == 11);
        outcomes.Should().OnlyContain(o => o.CostUsd > 0 && !o.CostIsEstimated && o.Response != null);
        outcomes.Where(o => o.Score != null).Should().OnlyContain(o => o.Score == 0 || o.Score == 1);

        // A few arc rows have empty score cells; the other tasks have none.
        dataset.Prompts.Where(p => p.Outcomes.Values.Any(o => o.Score == null))
            .Should().NotBeEmpty().And.OnlyContain(p => p.Task == "arc-challenge");

        // Every prompt and response was a Python list literal, so none is left undecoded.
        dataset.Prompts.Should().OnlyContain(p => !p.Text.StartsWith("['", StringComparison.Ordinal)
            && !p.Text.StartsWith("[\"", StringComparison.Ordinal));
        outcomes.Should().OnlyContain(o => !o.Response!.StartsWith("['", StringComparison.Ordinal));

        // Sample ids repeated within a file become unique, and each suffixed id has its original.
        dataset.Prompts.Select(p => p.SampleId).Should().OnlyHaveUniqueItems();
        foreach (var prompt in dataset.Prompts.Where(p => p.SampleId.Contains('#', StringComparison.Ordinal)))
        {
            dataset.TryGetPrompt(prompt.SampleId[..prompt.SampleId.IndexOf('#', StringComparison.Ordinal)], out _)
                .Should().BeTrue();
        }
    }

    [Fact]
    public void LlmRouter_Folder_Has5608RowsNineModelsAndPositiveEstimatedCosts()
    {
        var stopwatch = Stopwatch.StartNew();
        var dataset = ReplayDatasetLoader.Load(SharedData.LlmRouter);
        stopwatch.Stop();
        output.WriteLine($"Loaded {dataset} in {stopwatch.Elapsed.TotalMilliseconds:F0} ms.");

        dataset.Format.Should().Be(ReplayFormat.LlmRouter);
        dataset.Prompts.Should().HaveCount(5608);
        dataset.Models.Should().HaveCount(9);
        dataset.Models.Should().OnlyContain(m => m.InputPricePerMillion > 0 && m.OutputPricePerMillion > 0);
        dataset.Prompts.Should().OnlyContain(p => p.Task.StartsWith("cluster-", StringComparison.Ordinal));
        dataset.Prompts.Should().OnlyContain(p => p.Outcomes.Count == 9);

        foreach (var prompt in dataset.Prompts)
        {
            var inputTokens = (prompt.Text.Length + 3) / 4;
            foreach (var (modelId, outcome) in prompt.Outcomes)
            {
                dataset.TryGetModel(modelId, out var model).Should().BeTrue();
                outcome.CostIsEstimated.Should().BeTrue();
                outcome.InputTokens.Should().Be(inputTokens);
                outcome.OutputTokens.Should().Be(256);
                outcome.CostUsd.Should().BePositive()
                    .And.Be(
                        ((inputTokens * model!.InputPricePerMillion!.Value) + (256 * model.OutputPricePerMillion!.Value)) /
                        1_000_000m);
                outcome.Score.Should().BeInRange(0, 1);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReplayClients_OverRealData_AnswerWithTheRecordedResponse(bool streaming)
    {
        var dataset = RouterBenchReader.Read(Path.Combine(SharedData.RouterBench, "mbpp_train.csv"));
        var prompt = dataset.Prompts[dataset.Prompts.Count / 2];
        var clients = ReplayCandidateFactory.CreateClients(dataset);

        foreach (var client in clients)
        {
            var recorded = prompt.Outcomes[client.Model.Id];
            List<ChatMessage> messages = [new(ChatRole.User, prompt.Text)];
            var response = streaming
                ? await client.GetStreamingResponseAsync(messages).ToChatResponseAsync()
                : await client.GetResponseAsync(messages);

            response.Text.Should().Be(recorded.Response);
            response.AdditionalProperties![MetaModelPropertyNames.ReportedCostUsd].Should().Be(recorded.CostUsd);
            client.GetRecordedScore(prompt.SampleId).Should().Be(recorded.Score);
        }
    }

    [Fact]
    public void RouterBench_StratifiedSplit_KeepsEveryTaskOnBothSides()
    {
        var dataset = RouterBenchReader.Read(SharedData.RouterBench);

        var split = dataset.StratifiedSplit(0.2, seed: 11);

        split.Train.Prompts.Count.Should().Be(dataset.Prompts.Count - split.HeldOut.Prompts.Count);
        foreach (var task in dataset.Prompts.Select(p => p.Task).Distinct())
        {
            var count = dataset.Prompts.Count(p => p.Task == task);
            split.HeldOut.Prompts.Count(p => p.Task == task)
                .Should().Be((int)Math.Round(count * 0.2, MidpointRounding.AwayFromZero));
        }
    }
}
