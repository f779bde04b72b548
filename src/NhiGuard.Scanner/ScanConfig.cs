using NhiGuard.Detection;
using NhiGuard.Scanner.Rules;
using YamlDotNet.RepresentationModel;

namespace NhiGuard.Scanner;

/// <summary>
/// A user's <c>.nhiguard.yaml</c>: extend or replace the built-in rules, disable rules by id, add
/// custom rules (catalog schema), allowlist paths, regexes and stopwords.
/// </summary>
public sealed record ScanConfig
{
    public const string DefaultFileName = ".nhiguard.yaml";

    public static readonly ScanConfig Default = new();

    private static readonly HashSet<string> TopLevelKeys = ["extend", "disable", "rules", "allow"];

    /// <summary>Where it was read from, or null for the defaults.</summary>
    public string? Path { get; init; }

    public IReadOnlyList<Rule> Rules { get; init; } = BuiltInRules.All;

    public RuleAllowlist Allow { get; init; } = RuleAllowlist.Empty;

    /// <summary>Reads a config file; every mistake is a <see cref="ConfigurationException"/> naming file:line:column.</summary>
    public static ScanConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{path}: cannot read config: {e.Message}");
        }

        YamlMappingNode root = Yaml.ParseRoot(text, path);
        Yaml.RejectUnknownKeys(root, TopLevelKeys, path, "setting");

        bool extend = Yaml.OptionalBool(root, "extend", path) ?? true;
        var rules = new List<Rule>(extend ? BuiltInRules.All : []);

        var customDefinitions = new List<RuleDefinition>();
        if (root.Children.TryGetValue(new YamlScalarNode("rules"), out YamlNode? custom))
        {
            foreach (RuleDefinition d in RuleFileReader.ReadRules(custom, path))
            {
                customDefinitions.Add(d);
                // A custom rule with a built-in id replaces it.
                int existing = rules.FindIndex(r => r.Id == d.Rule.Id);
                if (existing >= 0)
                {
                    rules[existing] = d.Rule;
                }
                else
                {
                    rules.Add(d.Rule);
                }
            }
        }

        if (root.Children.TryGetValue(new YamlScalarNode("disable"), out YamlNode? disable))
        {
            foreach (YamlNode node in Yaml.Sequence(disable, path, "'disable'"))
            {
                string id = Yaml.Scalar(node, path, "a rule id");
                if (rules.RemoveAll(r => r.Id == id) == 0)
                {
                    throw new ConfigurationException($"{Yaml.Where(path, node)}: unknown rule id '{id}' in 'disable'");
                }
            }
        }

        RuleAllowlist allow = RuleFileReader.ReadAllow(root, path);
        if (root.Children.TryGetValue(new YamlScalarNode("allow"), out YamlNode? allowNode)
            && allowNode is YamlMappingNode allowMap
            && allowMap.Children.TryGetValue(new YamlScalarNode("regexes"), out YamlNode? regexes)
            && regexes is YamlSequenceNode regexList)
        {
            foreach (YamlNode r in regexList)
            {
                try
                {
                    _ = new Detector([], new DetectorOptions { Allow = new RuleAllowlist { Regexes = [Yaml.Scalar(r, path, "a regex")] } });
                }
                catch (RuleException e)
                {
                    throw new ConfigurationException($"{Yaml.Where(path, r)}: {e.Message.Replace("rule 'allowlist': ", "")}");
                }
            }
        }

        // Like the catalog, a custom rule whose own examples misbehave is refused.
        var failures = RuleExampleRunner.Check(customDefinitions, requireExamples: false);
        if (failures.Count > 0)
        {
            throw new ConfigurationException(failures[0]);
        }

        return new ScanConfig { Path = path, Rules = rules, Allow = allow };
    }

    /// <summary>The config for a scan: the file given, else <c>.nhiguard.yaml</c> at the root, else the defaults.</summary>
    public static ScanConfig Resolve(string? explicitPath, string root)
    {
        if (explicitPath is not null)
        {
            if (!File.Exists(explicitPath))
            {
                throw new ConfigurationException($"{explicitPath}: config file not found");
            }

            return Load(explicitPath);
        }

        string folder = Directory.Exists(root) ? root : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(root)) ?? ".";
        string candidate = System.IO.Path.Combine(folder, DefaultFileName);
        return File.Exists(candidate) ? Load(candidate) : Default;
    }

    public Detector CreateDetector()
    {
        try
        {
            return new Detector(Rules, new DetectorOptions { Allow = Allow });
        }
        catch (RuleException e)
        {
            throw new ConfigurationException(e.Message);
        }
    }
}
