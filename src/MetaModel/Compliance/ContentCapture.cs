using System.Text;
using Microsoft.Extensions.AI;

namespace MetaModel.Compliance;

/// <summary>The routing client's opt-in hook that copies the text of a request and its answer to the recorder.</summary>
internal static class ContentCapture
{
    /// <summary>Gets a buffer for a streamed answer when the recorder captures content, else <see langword="null"/>.</summary>
    public static StringBuilder? StartAnswer(IComplianceRecorder recorder) =>
        recorder is IComplianceContentRecorder { CapturesContent: true } ? new StringBuilder() : null;

    public static void Append(StringBuilder? answer, ChatResponseUpdate update)
    {
        if (answer is not null)
        {
            _ = answer.Append(update.Text);
        }
    }

    public static void Record(
        IComplianceRecorder recorder,
        string decisionId,
        string candidateId,
        IEnumerable<ChatMessage> prompt,
        string? answer,
        DateTimeOffset timestamp)
    {
        if (recorder is not IComplianceContentRecorder { CapturesContent: true } content)
        {
            return;
        }

        var text = new StringBuilder();
        foreach (ChatMessage message in prompt)
        {
            _ = text.Append(message.Role.Value).Append(": ").Append(message.Text).Append('\n');
        }

        content.RecordContent(new ContentRecord(decisionId, timestamp, candidateId, text.ToString(), answer ?? string.Empty));
    }
}
