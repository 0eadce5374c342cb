namespace MetaModel.Benchmarks;

/// <summary>The benchmark prompt: prose, a list, a question and a code block, 2,000 characters.</summary>
internal static class PromptText
{
    public static string TwoThousandCharacters()
    {
        const string Text =
            "I maintain a small service that routes customer questions to one of several language models. "
            + "Each request carries a tenant id, a budget hint and the conversation so far. Lately the latency "
            + "of the cheapest model has doubled during business hours, while the expensive model stays fast "
            + "but burns through our monthly budget in about ten days. We would like a policy that learns which "
            + "model answers each kind of question well enough, and that keeps the average cost per request "
            + "below two cents without hurting quality on the hard cases.\n\nWhat we have tried so far:\n"
            + "- a static rule that sends long prompts to the large model\n- a keyword list for legal and "
            + "medical topics\n- random sampling with a fixed split of traffic\n\nNone of these adapt when a "
            + "provider changes its pricing or its speed. Here is the current selection code:\n```csharp\n"
            + "public string Pick(Request r) { if (r.Text.Length > 4000) return \"large\"; "
            + "return r.Tenant == \"legal\" ? \"large\" : \"small\"; }\n```\nCould you explain how a "
            + "contextual bandit would replace this, which features of the prompt matter most, how exploration "
            + "interacts with a hard budget, and how to evaluate a new policy offline from our logs before we "
            + "switch? Please also estimate the memory and CPU cost per decision for sixteen candidate models, "
            + "and tell me what happens when a model is removed or added while traffic is flowing. Finally, "
            + "list the failure modes you would monitor in production, for example a sudden drop in rewards, "
            + "a model that times out for one region only, or feedback that arrives hours after the answer. "
            + "Our team writes C#, deploys on Linux containers with two cores each, and prefers libraries that "
            + "do not allocate on the hot path. Answers with concrete numbers are most useful to us.";
                return Text.Length >= 2000 ? Text[..2000] : Text.PadRight(2000, '.');
    }
}
