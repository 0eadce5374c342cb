namespace MetaModel.Replay;

/// <summary>
/// Names of the <see cref="Microsoft.Extensions.AI.AdditionalPropertiesDictionary"/> entries that
/// <see cref="ReplayChatClient"/> reads from requests and writes onto responses.
/// </summary>
public static class ReplayPropertyNames
{
    /// <summary>
    /// Request and response entry: the sample id of the recorded prompt (a <see cref="string"/>). On a
    /// request, in <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/>, it selects the
    /// prompt to replay; on a response, it names the prompt that was replayed, so that its recorded score can
    /// be looked up for feedback.
    /// </summary>
    public const string SampleId = "metamodel.replay.sample_id";
}
