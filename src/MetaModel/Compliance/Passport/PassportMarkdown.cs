using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MetaModel.Compliance.Passport;

/// <summary>Renders a passport's JSON as Markdown under the Annex IV and NIST AI RMF headings.</summary>
internal static class PassportMarkdown
{
    private const string NotDeclared = "_Not declared by the deployer._";

    public static string Render(JsonElement root)
    {
        JsonElement system = root.GetProperty("system");
        JsonElement declaration = system.GetProperty("declaration");
        JsonElement routing = system.GetProperty("routing");
        JsonElement candidates = system.GetProperty("candidates");
        bool recorded = system.TryGetProperty("recorder", out JsonElement recorder);
        var md = new StringBuilder();

        md.Append("# System passport: ").Append(Text(system, "name")).Append("\n\n");
        md.Append("| | |\n|---|---|\n");
        Row(md, "Configuration fingerprint (SHA-256)", "`" + Text(root, "fingerprint") + "`");
        Row(md, "Generated", Text(root, "generatedAt"));
        Row(md, "Passport format", Text(root, "formatVersion"));
        Row(md, "Library", Text(system, "library"));
        md.Append('\n');

        md.Append("## Part A: Technical documentation (EU AI Act, Annex IV)\n\n");

        md.Append("### 1. General description of the AI system\n\n");
        Row2(md, "System", Text(system, "name") + Optional(declaration, "systemVersion", " version "));
        Row2(md, "Provider or deployer", Declared(declaration, "provider"));
        Row2(md, "Contact", Declared(declaration, "contact"));
        Row2(md, "Intended purpose", Declared(declaration, "intendedUse"));
        Row2(md, "Uses it must not be put to", List(declaration, "prohibitedUses"));
        Row2(md, "Risk class (as declared)", Declared(declaration, "riskClass"));
        md.Append("\nThe system routes each chat request to one of ")
            .Append(candidates.GetArrayLength().ToString(CultureInfo.InvariantCulture))
            .Append(" general-purpose language models (its candidates), chosen per request by a routing policy")
            .Append(recorded
                ? ", and records every choice in a tamper-evident decision log.\n\n"
                : ". No durable decision log is configured, so its choices are not recorded.\n\n");

        md.Append("### 2. Elements of the system and its development process\n\n");
        md.Append("#### Candidate models\n\n");
        md.Append(
            "| Id | Provider | Model | Version | Region | Capabilities | Context | Input USD/1M | Output USD/1M | " +
            "Energy Wh/1k in | Energy Wh/1k out | Energy source |\n");
        md.Append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (JsonElement c in candidates.EnumerateArray())
        {
            JsonElement prices = c.GetProperty("pricesUsdPerMillionTokens");
            bool hasEnergy = c.TryGetProperty("energy", out JsonElement energy);
            md.Append("| ").Append(Text(c, "id"))
                .Append(" | ").Append(Text(c, "provider"))
                .Append(" | ").Append(Text(c, "model"))
                .Append(" | ").Append(Text(c, "modelVersion"))
                .Append(" | ").Append(Text(c, "region"))
                .Append(" | ")
                .Append(string.Join(", ", c.GetProperty("capabilities").EnumerateArray().Select(e => e.GetString())))
                .Append(" | ").Append(Text(c, "contextWindow"))
                .Append(" | ").Append(Text(prices, "input"))
                .Append(" | ").Append(Text(prices, "output"))
                .Append(" | ").Append(hasEnergy ? Text(energy, "whPer1kInputTokens") : "unknown")
                .Append(" | ").Append(hasEnergy ? Text(energy, "whPer1kOutputTokens") : "unknown")
                .Append(" | ").Append(hasEnergy ? Text(energy, "source") : "none")
                .Append(" |\n");
        }

        md.Append("\n#### Routing policy\n\n");
        Row2(md, "Policy", Text(routing, "policy") + " version " + Text(routing, "policyVersion"));
        Row2(md, "Prompt features", Text(routing, "featurizer"));
        Row2(md, "Most candidates tried per request", Text(routing, "maxAttemptsPerRequest"));
        Row2(md, "Constraints on every request", List(routing, "constraints", "none"));
        Row2(md, "Tenants with their own constraints", Text(routing, "tenantConstraintSets"));
        md.Append("\n| Parameter | Value |\n|---|---|\n");
        foreach (JsonProperty parameter in routing.GetProperty("parameters").EnumerateObject())
        {
            Row(md, parameter.Name, Scalar(parameter.Value));
        }

        md.Append("\nEligibility (capabilities, context window, tag constraints) is decided before the policy ranks ")
            .Append("candidates, so the policy can never choose a candidate that a constraint excludes. A failed ")
            .Append("candidate is followed by the next ranked one only while no output reached the caller.\n\n");

        md.Append("### 3. Monitoring, functioning and control\n\n");
        Row2(md, "Human oversight", Declared(declaration, "humanOversight"));
        Row2(md, "Known limitations", List(declaration, "knownLimitations"));
        if (recorded)
        {
            Row2(md, "Decision log", Text(recorder, "store") + ", stream `" + Text(recorder, "stream") + "`");
            Row2(md, "Integrity", Text(recorder, "hashChain") + " hash chain; verify with `metamodel verify`");
            Row2(md, "Tenants and users", "stored as " + Text(recorder, "pseudonymization") + " pseudonyms, key `" +
                Text(recorder, "pseudonymizationKeyId") + "`");
            Row2(md, "Prompts and answers", recorder.GetProperty("captureContent").GetBoolean()
                ? "stored after redaction of credentials and personal data"
                : "not stored");
            Row2(md, "Retention", recorder.TryGetProperty("retentionDays", out JsonElement days)
                ? days.GetRawText() + " days, with a recorded checkpoint"
                : "records kept without limit");
            Row2(md, "Queue", Text(recorder, "queueCapacity") + " records, batches of " + Text(recorder, "maxBatchSize") +
                ", when full: " + Text(recorder, "fullMode") + " (up to " + Text(recorder, "maxEnqueueWaitMs") + " ms)");
            Row2(md, "Grid carbon intensity", Text(recorder, "gridCarbonIntensity") + " gCO2e/kWh");
        }
        else
        {
            md.Append("\n_No durable decision log is configured: decisions are not recorded in a tamper-evident store._\n");
        }

        md.Append("\n### 4. Performance metrics and evaluation results\n\n");
        JsonElement results = declaration.GetProperty("evaluationResults");
        if (results.GetArrayLength() == 0)
        {
            md.Append(NotDeclared).Append("\n\n");
        }
        else
        {
            md.Append("| Subject | Metric | Value | Dataset | Date | Notes |\n|---|---|---|---|---|---|\n");
            foreach (JsonElement r in results.EnumerateArray())
            {
                md.Append("| ").Append(Text(r, "subject")).Append(" | ").Append(Text(r, "metric"))
                    .Append(" | ").Append(Text(r, "value")).Append(" | ").Append(Text(r, "dataset"))
                    .Append(" | ").Append(Text(r, "date")).Append(" | ").Append(Text(r, "notes")).Append(" |\n");
            }

            md.Append('\n');
        }

        md.Append("### 5. Risk management\n\n");
        md.Append("Risk class as declared: ").Append(Declared(declaration, "riskClass")).Append(". ")
            .Append("Technical measures in place: tag constraints restrict which candidates may serve a request ")
            .Append("(for example by region); ")
            .Append(recorded
                ? "every decision, attempt and outcome is logged with the reason of the choice; "
                : "decisions are not logged, as no durable decision log is configured; ")
            .Append("failures fail over without repeating output; cost and energy are computed per request.\n\n");

        md.Append("### 6. Changes over the lifecycle\n\n");
        md.Append(recorded
                ? "Every time the metamodel is built, this passport is written into the decision log. "
                : "No durable decision log is configured, so this passport is not kept with the decisions. ")
            .Append("Two passports with different fingerprints describe different configurations; the policy version ")
            .Append("above changes when the policy's logic or parameters change.\n\n");

        md.Append("### 7. Standards and specifications applied\n\n");
        md.Append(List(declaration, "standardsApplied", NotDeclared)).Append("\n\n");

        md.Append("### 8. EU declaration of conformity\n\n");
        md.Append(Declared(declaration, "declarationOfConformity")).Append("\n\n");

        md.Append("### 9. Post-market monitoring\n\n");
        md.Append(Declared(declaration, "postMarketMonitoring")).Append(' ')
            .Append(recorded
                ? "The decision log supports it: quality feedback is appended to the decision it concerns, and the " +
                    "`metamodel energy` and `metamodel cost` reports aggregate outcomes by candidate, tenant and day."
                : "No durable decision log is configured to support it.")
            .Append("\n\n");

        md.Append("## Part B: NIST AI Risk Management Framework\n\n");
        md.Append("### Govern\n\n");
        md.Append("Accountable party: ").Append(Declared(declaration, "provider")).Append("; contact: ")
            .Append(Declared(declaration, "contact")).Append(recorded
                ? ". Every decision is attributable through the tamper-evident log; "
                : ". No durable decision log is configured, so decisions cannot be attributed afterwards; ")
            .Append("configuration changes show as new fingerprints.\n\n");
        md.Append("### Map\n\n");
        md.Append("Context of use: ").Append(Declared(declaration, "intendedUse")).Append(" Risk class: ")
            .Append(Declared(declaration, "riskClass")).Append(". Excluded uses: ")
            .Append(List(declaration, "prohibitedUses", "none declared")).Append(".\n\n");
        md.Append("### Measure\n\n");
        md.Append(
            results.GetArrayLength() == 0 ? "No evaluation results were supplied. " : "Evaluation results are in section 4. ")
            .Append(recorded
                ? "Per request the log measures latency, tokens, cost (reported or estimated, marked as such), " +
                    "estimated energy and emissions, and later quality feedback."
                : "No durable decision log is configured, so no record of each request's latency, tokens, cost, " +
                    "energy and quality feedback is kept.")
            .Append("\n\n");
        md.Append("### Manage\n\n");
        md.Append("Candidates can be excluded by constraints without a code change; the routing policy learns from ")
            .Append("failures and feedback; ")
            .Append(recorded
                ? "the chain is verified with `metamodel verify` and its head can be anchored outside the system. "
                : "no decision log is configured to verify. ")
            .Append("Human oversight: ").Append(Declared(declaration, "humanOversight"))
            .Append('\n');
        return md.ToString();
    }

    private static void Row(StringBuilder md, string name, string value) =>
        md.Append("| ").Append(name).Append(" | ").Append(value).Append(" |\n");

    private static void Row2(StringBuilder md, string name, string value) =>
        md.Append("- **").Append(name).Append(":** ").Append(value).Append('\n');

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) ? Scalar(value) : "—";

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => (value.GetString() ?? string.Empty).Replace("|", "\\|", StringComparison.Ordinal),
        JsonValueKind.Null or JsonValueKind.Undefined => "—",
        _ => value.GetRawText(),
    };

    private static string Declared(JsonElement declaration, string name) =>
        declaration.TryGetProperty(name, out JsonElement value) ? Scalar(value) : NotDeclared;

    private static string Optional(JsonElement element, string name, string prefix) =>
        element.TryGetProperty(name, out JsonElement value) ? prefix + Scalar(value) : string.Empty;

    private static string List(JsonElement element, string name, string empty = NotDeclared)
    {
        if (!element.TryGetProperty(name, out JsonElement list) || list.GetArrayLength() == 0)
        {
            return empty;
        }

        return string.Join("; ", list.EnumerateArray().Select(Scalar));
    }
}
