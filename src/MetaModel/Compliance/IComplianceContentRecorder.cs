namespace MetaModel.Compliance;

/// <summary>A recorder that can also keep the text of prompts and answers, when its user opted in.</summary>
/// <remarks>
/// <see cref="MetaModelChatClient"/> captures text only when its recorder implements this interface and
/// <see cref="CapturesContent"/> is <see langword="true"/>; otherwise no text is copied at all.
/// </remarks>
public interface IComplianceContentRecorder : IComplianceRecorder
{
    /// <summary>Gets a value indicating whether prompts and answers are to be captured.</summary>
    bool CapturesContent { get; }

    /// <summary>Records the text of a successful request.</summary>
    /// <param name="record">The text.</param>
    void RecordContent(ContentRecord record);
}
