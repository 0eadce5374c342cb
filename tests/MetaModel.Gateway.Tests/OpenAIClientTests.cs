using System.ClientModel;
using System.ClientModel.Primitives;
using MetaModel.Gateway.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace MetaModel.Gateway.Tests;

/// <summary>The official OpenAI .NET client against the gateway, streamed and not.</summary>
public sealed class OpenAIClientTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHost _host = fixture.Host;

    [Fact]
    public async Task CompleteChat_MetaModelName_AnswersFromTheFirstCandidateWithUsage()
    {
        ChatClient client = Client("metamodel");

        ClientResult<ChatCompletion> result = await client.CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Say hello.")],
            new ChatCompletionOptions { Temperature = 0.5f, MaxOutputTokenCount = 64, EndUserId = "user-7" });

        ChatCompletion completion = result.Value;
        completion.Content.Should().ContainSingle().Which.Text.Should().Be("Hello from the small model");
        completion.Model.Should().Be("small-model-v1");
        completion.FinishReason.Should().Be(ChatFinishReason.Stop);
        completion.Usage.InputTokenCount.Should().Be(10);
        completion.Usage.OutputTokenCount.Should().Be(5);
        completion.Usage.TotalTokenCount.Should().Be(15);
        completion.Id.Should().StartWith("chatcmpl-");
        result.GetRawResponse().Headers.TryGetValue("x-metamodel-budget-remaining-usd", out string? remaining).Should().BeTrue();
        decimal.Parse(remaining!, System.Globalization.CultureInfo.InvariantCulture).Should().BeLessThanOrEqualTo(100m);

        // What the candidate received: the caller's messages and options, without the gateway's own entries.
        _host.Small.LastMessages.Should().HaveCount(2);
        _host.Small.LastOptions!.Temperature.Should().Be(0.5f);
        _host.Small.LastOptions.MaxOutputTokens.Should().Be(64);
        _host.Small.LastOptions.AdditionalProperties.Should().BeNull();
    }

    [Fact]
    public async Task CompleteChat_TaskInMetadata_ReachesTheRouterAsTheTaskLabel_AndNotTheCandidate()
    {
        var options = new ChatCompletionOptions();
        options.Metadata["task"] = "greeting";

        await Client("metamodel").CompleteChatAsync([new UserChatMessage("Say hello.")], options);

        _host.Featurizer.LastTask.Should().Be("greeting");
        _host.Small.LastOptions!.AdditionalProperties.Should().BeNull();

        await Client("metamodel").CompleteChatAsync([new UserChatMessage("Say hello.")]);

        _host.Featurizer.LastTask.Should().BeNull("a request without metadata has no task label");
    }

    [Fact]
    public async Task CompleteChat_MetadataOverOpenAIsLimits_IsRefusedWithA400NamingIt()
    {
        var tooMany = new ChatCompletionOptions();
        for (int i = 0; i < 17; i++)
        {
            tooMany.Metadata[$"k{i}"] = "v";
        }

        var tooLong = new ChatCompletionOptions();
        tooLong.Metadata["task"] = new string('t', 513);

        foreach ((ChatCompletionOptions options, string message) in new[]
        {
            (tooMany, "'metadata' has 17 pairs; at most 16 are accepted."),
            (tooLong, "'metadata.task' has 513 characters; at most 512 are accepted."),
        })
        {
            Func<Task> call = () => Client("metamodel").CompleteChatAsync([new UserChatMessage("Say hello.")], options);

            ClientResultException error = (await call.Should().ThrowAsync<ClientResultException>()).Which;
            error.Status.Should().Be(400);
            error.Message.Should().Contain(message);
        }
    }

    [Fact]
    public async Task CompleteChat_CandidateId_PinsThatCandidate()
    {
        ChatCompletion completion = await Client("large").CompleteChatAsync([new UserChatMessage("Say hello.")]);

        completion.Content[0].Text.Should().Be("Hello from the large model");
        completion.Model.Should().Be("large-model-v1");
    }

    [Fact]
    public async Task CompleteChatStreaming_MetaModelName_StreamsTheAnswerThenFinishAndUsage()
    {
        ChatClient client = Client("metamodel");
        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        int updates = 0;

        await foreach (StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync(
            [new UserChatMessage("Say hello.")]))
        {
            updates++;
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
            update.CompletionId.Should().StartWith("chatcmpl-");
        }

        text.ToString().Should().Be("Hello from the small model");
        finish.Should().Be(ChatFinishReason.Stop);
        usage.Should().NotBeNull("the client asks for usage with stream_options.include_usage");
        usage!.InputTokenCount.Should().Be(10);
        usage.OutputTokenCount.Should().Be(5);
        updates.Should().BeGreaterThan(5, "one role chunk, five word chunks, a finish chunk and a usage chunk");
    }

    [Fact]
    public async Task CompleteChat_UnknownModel_ThrowsWithStatus404()
    {
        Func<Task> call = () => Client("gpt-nonexistent").CompleteChatAsync([new UserChatMessage("hi")]);

        (await call.Should().ThrowAsync<ClientResultException>()).Which.Status.Should().Be(404);
    }

    [Fact]
    public async Task CompleteChat_WrongKey_ThrowsWithStatus401()
    {
        var client = new ChatClient(
            "metamodel",
            new ApiKeyCredential("sk-wrong"),
            new OpenAIClientOptions { Endpoint = _host.ApiUrl, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) });

        Func<Task> call = () => client.CompleteChatAsync([new UserChatMessage("hi")]);

        (await call.Should().ThrowAsync<ClientResultException>()).Which.Status.Should().Be(401);
    }

    private ChatClient Client(string model) => new(
        model,
        new ApiKeyCredential(GatewayHost.AcmeKey),
        new OpenAIClientOptions { Endpoint = _host.ApiUrl, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) });
}
