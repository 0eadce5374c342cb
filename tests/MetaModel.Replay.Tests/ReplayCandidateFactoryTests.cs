using Microsoft.Extensions.AI;

namespace MetaModel.Replay.Tests;

public sealed class ReplayCandidateFactoryTests
{
    [Fact]
    public async Task CreateClients_GivesOneClientPerModelInOrder()
    {
        var dataset = new ReplayDataset(
            "fixture",
            "/fixture",
            ReplayFormat.RouterBench,
            [new ReplayModel("m1"), new ReplayModel("m2"), new ReplayModel("m3")],
            [
                new ReplayPrompt(
                    "s",
                    "t",
                    "prompt",
                    [
                        new("m1", new ReplayOutcome(1, 0.1m, response: "one")),
                        new("m2", new ReplayOutcome(0, 0.2m, response: "two")),
                        new("m3", new ReplayOutcome(1, 0.3m, response: "three")),
                    ]),
            ]);

        var clients = ReplayCandidateFactory.CreateClients(dataset);

        clients.Select(c => c.Model.Id).Should().Equal("m1", "m2", "m3");
        clients.Should().OnlyContain(c => c.Dataset == dataset);
        var answers = await Task.WhenAll(clients.Select(c => c.GetResponseAsync("prompt")));
        answers.Select(a => a.Text).Should().Equal("one", "two", "three");
    }
}
