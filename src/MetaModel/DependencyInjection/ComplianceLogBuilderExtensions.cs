using MetaModel.Compliance.Passport;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetaModel.DependencyInjection;

/// <summary>Adds a tamper-evident decision log to a metamodel.</summary>
public static class ComplianceLogBuilderExtensions
{
    /// <summary>
    /// Records every decision, attempt, outcome and feedback into the store made by <paramref name="storeFactory"/>.
    /// </summary>
    /// <param name="builder">The metamodel's builder.</param>
    /// <param name="storeFactory">Creates the store; the container disposes it after the recorder.</param>
    /// <param name="configure">Changes the recorder's settings; the pseudonymization key is required.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Registers, under the metamodel's name as service key, the store and a <see cref="ComplianceLogRecorder"/>;
    /// the container disposes the recorder (writing its queue) before the store. In a host, stopping it also writes
    /// the queue, so an application that stops its host without disposing it loses no record. Each time the
    /// metamodel is built, its <see cref="SystemPassport"/> is recorded. The stream defaults to the metamodel's name.
    /// </remarks>
    /// <exception cref="MetaModelConfigurationException">
    /// The recorder's settings are invalid; every problem is listed.
    /// </exception>
    public static MetaModelBuilder UseComplianceLog(
        this MetaModelBuilder builder,
        Func<IServiceProvider, IComplianceLogStore> storeFactory,
        Action<ComplianceLogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(storeFactory);

        var options = new ComplianceLogOptions();
        configure?.Invoke(options);
        options.Stream ??= builder.Name;
        MetaModelConfigurationException.ThrowIfInvalid(options.Validate());

        string key = builder.Name;
        builder.Services.AddKeyedSingleton(key, (sp, _) => storeFactory(sp));
        builder.Services.AddKeyedSingleton<ComplianceLogRecorderSlot>(key);
        builder.Services.AddKeyedSingleton(key, (sp, k) =>
        {
            var recorder = new ComplianceLogRecorder(
                sp.GetRequiredKeyedService<IComplianceLogStore>(k),
                options,
                sp.GetService<TimeProvider>(),
                sp.GetService<ILogger<ComplianceLogRecorder>>());
            sp.GetRequiredKeyedService<ComplianceLogRecorderSlot>(k).Recorder = recorder;
            return recorder;
        });
        builder.UseRecorder(sp => sp.GetRequiredKeyedService<ComplianceLogRecorder>(key));
        builder.Services.AddSingleton<IHostedService>(sp => new ComplianceLogFlush(sp, key));
        builder.OnBuilt((client, sp) =>
        {
            ComplianceLogRecorder recorder = sp.GetRequiredKeyedService<ComplianceLogRecorder>(key);
            recorder.RecordPassport(SystemPassport.Describe(
                client,
                options.Declaration,
                recorder.Describe(),
                sp.GetService<TimeProvider>()));
        });
        return builder;
    }
}
