using NhiGuard.Detection;

namespace NhiGuard.Scanner.Rules;

/// <summary>
/// Runs every rule's examples against a detector built from the whole rule set: each
/// <c>secret</c> example must yield exactly one finding of its rule and each <c>not-secret</c>
/// example none.
/// </summary>
public static class RuleExampleRunner
{
    /// <param name="definitions">The rules to check, each against all of them.</param>
    /// <param name="requireExamples">Whether a regex rule without secret and not-secret examples is a failure (it is in the catalog).</param>
    /// <param name="options">Detector options (allowlists) to check under.</param>
    public static IReadOnlyList<string> Check(IReadOnlyList<RuleDefinition> definitions, bool requireExamples = true, DetectorOptions? options = null)
    {
        var detector = new Detector(definitions.Select(d => d.Rule), options);
        var failures = new List<string>();
        foreach (RuleDefinition d in definitions)
        {
            if (requireExamples && d.Rule.Regex is not null && d.Examples.Secret.Count == 0)
            {
                failures.Add($"{d.Rule.Origin}: rule '{d.Rule.Id}' has no secret examples");
            }

            if (requireExamples && d.Rule.Regex is not null && d.Examples.NotSecret.Count == 0)
            {
                failures.Add($"{d.Rule.Origin}: rule '{d.Rule.Id}' has no not-secret examples");
            }

            foreach (string example in d.Examples.Secret)
            {
                string text = ExampleTemplate.ExpandOnce(example);
                var findings = detector.Scan(new Fragment(text, d.Examples.Path));
                int mine = findings.Count(f => f.RuleId == d.Rule.Id);
                if (mine != 1)
                {
                    string others = string.Join(", ", findings.Where(f => f.RuleId != d.Rule.Id).Select(f => f.RuleId));
                    failures.Add($"{d.Rule.Origin}: rule '{d.Rule.Id}': secret example found {mine} times (want 1){(others.Length > 0 ? "; found instead: " + others : "")}: {example}");
                }
            }

            foreach (string example in d.Examples.NotSecret)
            {
                string text = ExampleTemplate.ExpandOnce(example);
                var findings = detector.Scan(new Fragment(text, d.Examples.Path));
                if (findings.Any(f => f.RuleId == d.Rule.Id))
                {
                    failures.Add($"{d.Rule.Origin}: rule '{d.Rule.Id}': not-secret example was found: {example}");
                }
            }
        }

        return failures;
    }
}
