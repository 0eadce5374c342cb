using System.Reflection;
using MetaModel.Candidates;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Privacy;
using MetaModel.Features;
using MetaModel.Routing;
using Microsoft.Extensions.AI;

namespace MetaModel.Compliance.Passport;

/// <summary>Writes the canonical JSON of a passport. Members are written in ordinal order of their names.</summary>
internal static class PassportWriter
{
    private static readonly ContentRedactor s_redactor = new();

    public static byte[] WriteSystem(MetaModelChatClient client, SystemDeclaration declaration, RecorderDescription? recorder)
    {
        var w = new CanonicalJsonWriter(4096);
        w.StartObject();
        w.Name("candidates");
        w.StartArray();
        foreach (IModelCandidate candidate in client.Candidates)
        {
            WriteCandidate(w, candidate);
        }

        w.EndArray();
        w.Name("declaration");
        WriteDeclaration(w, declaration);
        w.Property("library", LibraryVersion());
        w.Property("name", declaration.SystemName ?? client.Options.Name);
        if (recorder is not null)
        {
            w.Name("recorder");
            WriteRecorder(w, recorder);
        }

        w.Name("routing");
        WriteRouting(w, client);
        w.EndObject();
        return w.ToArray();
    }

    public static byte[] WriteDocument(byte[] system, string fingerprint, DateTimeOffset generatedAt)
    {
        using var buffer = new MemoryStream(system.Length + 160);
        buffer.Write("{\"fingerprint\":\""u8);
        buffer.Write(System.Text.Encoding.ASCII.GetBytes(fingerprint));
        buffer.Write("\",\"formatVersion\":"u8);
        buffer.Write(
            System.Text.Encoding.ASCII.GetBytes(
                SystemPassport.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        buffer.Write(",\"generatedAt\":\""u8);
        buffer.Write(System.Text.Encoding.ASCII.GetBytes(
            generatedAt.UtcDateTime.ToString(
                "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'",
                System.Globalization.CultureInfo.InvariantCulture)));
        buffer.Write("\",\"system\":"u8);
        buffer.Write(system);
        buffer.Write("}"u8);
        return buffer.ToArray();
    }

    private static void WriteCandidate(CanonicalJsonWriter w, IModelCandidate candidate)
    {
        ChatClientMetadata? metadata = null;
        try
        {
            metadata = candidate.Client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
        }
        catch (InvalidOperationException)
        {
            // A client that cannot describe itself is described by its tags alone.
        }

        w.StartObject();
        w.Name("capabilities");
        w.StartArray();
        foreach (ModelCapabilities flag in Enum.GetValues<ModelCapabilities>())
        {
            if (flag is not ModelCapabilities.None and not ModelCapabilities.All && candidate.Capabilities.HasFlag(flag))
            {
                w.String(flag.ToString());
            }
        }

        w.EndArray();
        w.Property("contextWindow", candidate.ContextWindow);
        if (candidate.Energy is { } energy)
        {
            w.Name("energy");
            w.StartObject();
            w.Property("source", energy.Source);
            w.Property("whPer1kInputTokens", energy.WattHoursPerThousandInputTokens);
            w.Property("whPer1kOutputTokens", energy.WattHoursPerThousandOutputTokens);
            w.EndObject();
        }

        // Only the endpoint's scheme and host: a query string or user info may hold a key.
        w.Property("endpoint", metadata?.ProviderUri is { IsAbsoluteUri: true } uri ? uri.Scheme + "://" + uri.Host : null);
        w.Property("id", candidate.Id);
        w.Property("model", Tag(candidate, "model") ?? metadata?.DefaultModelId);
        w.Property("modelVersion", Tag(candidate, "model-version") ?? Tag(candidate, "version"));
        w.Name("pricesUsdPerMillionTokens");
        w.StartObject();
        w.Property("input", candidate.Pricing.InputPerMillion);
        w.Property("output", candidate.Pricing.OutputPerMillion);
        w.EndObject();
        w.Property("provider", Tag(candidate, "provider") ?? metadata?.ProviderName);
        w.Property("region", Tag(candidate, "region"));
        w.Name("tags");
        w.StartObject();
        foreach (KeyValuePair<string, string> tag in candidate.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            w.Property(tag.Key, s_redactor.Redact(tag.Value));
        }

        w.EndObject();
        w.EndObject();
    }

    private static void WriteDeclaration(CanonicalJsonWriter w, SystemDeclaration d)
    {
        w.StartObject();
        w.Property("contact", d.Contact);
        w.Property("declarationOfConformity", d.DeclarationOfConformity);
        w.Name("evaluationResults");
        w.StartArray();
        foreach (EvaluationResult result in d.EvaluationResults)
        {
            w.StartObject();
            w.Property("dataset", result.Dataset);
            if (result.Date is { } date)
            {
                w.Property("date", date);
            }

            w.Property("metric", result.Metric);
            w.Property("notes", result.Notes);
            w.Property("subject", result.Subject);
            w.Property("value", result.Value);
            w.EndObject();
        }

        w.EndArray();
        w.Property("humanOversight", d.HumanOversight);
        w.Property("intendedUse", d.IntendedUse);
        WriteList(w, "knownLimitations", d.KnownLimitations);
        w.Property("postMarketMonitoring", d.PostMarketMonitoring);
        WriteList(w, "prohibitedUses", d.ProhibitedUses);
        w.Property("provider", d.Provider);
        w.Property("riskClass", d.RiskClass);
        WriteList(w, "standardsApplied", d.StandardsApplied);
        w.Property("systemVersion", d.SystemVersion);
        w.EndObject();
    }

    private static void WriteRecorder(CanonicalJsonWriter w, RecorderDescription r)
    {
        w.StartObject();
        w.Property("captureContent", r.CaptureContent);
        w.Property("fullMode", r.FullMode);
        w.Property("gridCarbonIntensity", r.GridCarbonIntensity);
        w.Property("hashChain", "SHA-256, canonical JSON v1");
        w.Property("maxBatchSize", r.MaxBatchSize);
        w.Property("maxEnqueueWaitMs", (long)r.MaxEnqueueWait.TotalMilliseconds);
        w.Property("pseudonymization", "HMAC-SHA256");
        w.Property("pseudonymizationKeyId", r.PseudonymizationKeyId);
        w.Property("queueCapacity", r.QueueCapacity);
        w.Property("retentionDays", r.RetentionDays);
        w.Property("store", r.Store);
        w.Property("stream", r.Stream);
        w.EndObject();
    }

    private static void WriteRouting(CanonicalJsonWriter w, MetaModelChatClient client)
    {
        MetaModelOptions options = client.Options;
        w.StartObject();
        w.Name("constraints");
        w.StartArray();
        foreach (TagConstraint constraint in options.Constraints)
        {
            w.String(constraint.ToString() ?? string.Empty);
        }

        w.EndArray();
        w.Property("featurizer", DescribeFeaturizer(client.Featurizer));
        w.Property("maxAttemptsPerRequest", options.MaxAttemptsPerRequest);
        w.Name("parameters");
        w.StartObject();
        foreach (KeyValuePair<string, string> parameter in
            client.Policy.DescribeParameters().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.Property(parameter.Key, s_redactor.Redact(parameter.Value));
        }

        w.EndObject();
        w.Property("policy", client.Policy.Name);
        w.Property("policyVersion", client.Policy.Version);
        w.Property("tenantConstraintSets", options.TenantConstraints.Count);
        w.EndObject();
    }

    private static void WriteList(CanonicalJsonWriter w, string name, IList<string> values)
    {
        w.Name(name);
        w.StartArray();
        foreach (string value in values)
        {
            w.String(value);
        }

        w.EndArray();
    }

    /// <summary>
    /// Describes the prompt featurizer by its <see cref="IPromptFeaturizer.FeatureSchema"/>: a learned routing model is
    /// only valid with the features it was trained on.
    /// </summary>
    private static string DescribeFeaturizer(IPromptFeaturizer? featurizer) => featurizer?.FeatureSchema ?? "none";

    private static string? Tag(IModelCandidate candidate, string key) =>
        candidate.Tags.TryGetValue(key, out string? value) ? value : null;

    private static string LibraryVersion()
    {
        Assembly assembly = typeof(MetaModelChatClient).Assembly;
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        return "MetaModel " + version;
    }
}
