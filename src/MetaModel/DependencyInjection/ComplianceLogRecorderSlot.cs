using MetaModel.Compliance.Recording;

namespace MetaModel.DependencyInjection;

/// <summary>Holds a metamodel's decision log recorder once its container created it.</summary>
internal sealed class ComplianceLogRecorderSlot
{
    private ComplianceLogRecorder? _recorder;

    /// <summary>Gets or sets the recorder; <see langword="null"/> until the container created it.</summary>
    public ComplianceLogRecorder? Recorder
    {
        get => Volatile.Read(ref _recorder);
        set => Volatile.Write(ref _recorder, value);
    }
}
