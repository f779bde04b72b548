using System.Globalization;
using NhiGuard.Detection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NhiGuard.Scanner.Rules;

/// <summary>
/// Reads rules in the catalog schema (see rules/README.md) from YAML, reporting every mistake as
/// <c>file:line:column: message</c>.
/// </summary>
public static class RuleFileReader
{
    private static readonly HashSet<string> RuleKeys =
    [
        "id", "title", "description", "severity", "confidence", "keywords", "regex", "entropy",
        "checksum", "path", "allow", "examples", "example-path",
    ];

    private static readonly HashSet<string> ExampleKeys = ["secret", "not-secret"];

    private static readonly HashSet<string> AllowKeys = ["paths", "regexes", "stopwords"];

    /// <summary>Reads a catalog file (a mapping with a <c>rules</c> sequence).</summary>
    public static IReadOnlyList<RuleDefinition> ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{path}: cannot read: {e.Message}");
        }

        YamlMappingNode root = Yaml.ParseRoot(text, path);
        if (!root.Children.TryGetValue(new YamlScalarNode("rules"), out YamlNode? rules))
        {
            throw new ConfigurationException($"{Yaml.Where(path, root)}: expected a 'rules' list");
        }

        return ReadRules(rules, path);
    }

    public static IReadOnlyList<RuleDefinition> ReadRules(YamlNode rules, string file)
    {
        var result = new List<RuleDefinition>();
        foreach (YamlNode node in Yaml.Sequence(rules, file, "rules"))
        {
            result.Add(ReadRule(node, file));
        }

        return result;
    }

    private static RuleDefinition ReadRule(YamlNode node, string file)
    {
        YamlMappingNode map = Yaml.Mapping(node, file, "a rule");
        Yaml.RejectUnknownKeys(map, RuleKeys, file, "rule field");

        string id = Yaml.RequiredString(map, "id", file);
        if (!IsKebabCase(id))
        {
            throw new ConfigurationException($"{Yaml.Where(file, map["id"])}: rule id '{id}' must be kebab-case (a-z, 0-9 and '-')");
        }

        string origin = Yaml.Where(file, map);
        var rule = new Rule
        {
            Id = id,
            Title = Yaml.OptionalString(map, "title", file) ?? id,
            Description = Yaml.OptionalString(map, "description", file)?.Trim() ?? "",
            Severity = Yaml.Enum(map, "severity", file, Severity.High),
            Confidence = Yaml.Enum(map, "confidence", file, Confidence.Medium),
            Keywords = Yaml.StringList(map, "keywords", file).Select(k => k.ToLowerInvariant()).ToArray(),
            Regex = Yaml.OptionalString(map, "regex", file),
            Path = Yaml.OptionalString(map, "path", file),
            Entropy = Yaml.OptionalDouble(map, "entropy", file),
            Checksum = Yaml.OptionalString(map, "checksum", file),
            Allow = ReadAllow(map, file),
            Origin = origin,
        };

        var examples = new RuleExamples([], [], Yaml.OptionalString(map, "example-path", file) ?? "example.txt");
        if (map.Children.TryGetValue(new YamlScalarNode("examples"), out YamlNode? ex))
        {
            YamlMappingNode exMap = Yaml.Mapping(ex, file, "examples");
            Yaml.RejectUnknownKeys(exMap, ExampleKeys, file, "examples field");

            examples = examples with
            {
                Secret = Yaml.StringList(exMap, "secret", file),
                NotSecret = Yaml.StringList(exMap, "not-secret", file),
            };
        }

        if (rule.Regex is null && rule.Path is null)
        {
            throw new ConfigurationException($"{origin}: rule '{id}' needs a 'regex' or a 'path'");
        }

        // Compiling here reports a bad regex at the rule, not later at scan time.
        try
        {
            _ = new Detector([rule]);
        }
        catch (RuleException e)
        {
            throw new ConfigurationException(e.Message);
        }

        return new RuleDefinition(rule with { SecretExamples = examples.Secret, NotSecretExamples = examples.NotSecret }, examples);
    }

    internal static RuleAllowlist ReadAllow(YamlMappingNode map, string file, string field = "allow")
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(field), out YamlNode? node))
        {
            return RuleAllowlist.Empty;
        }

        YamlMappingNode allow = Yaml.Mapping(node, file, field);
        Yaml.RejectUnknownKeys(allow, AllowKeys, file, field + " field");

        return new RuleAllowlist
        {
            Regexes = Yaml.StringList(allow, "regexes", file),
            Stopwords = Yaml.StringList(allow, "stopwords", file),
            Paths = Yaml.StringList(allow, "paths", file),
        };
    }

    private static bool IsKebabCase(string id) =>
        id.Length > 0 && char.IsAsciiLetterLower(id[0]) && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && !id.EndsWith('-') && !id.Contains("--", StringComparison.Ordinal);
}

/// <summary>A rule as declared, with its examples.</summary>
public sealed record RuleDefinition(Rule Rule, RuleExamples Examples);

/// <summary>Example lines that must (secret) or must not (not-secret) yield a finding of the rule.</summary>
public sealed record RuleExamples(IReadOnlyList<string> Secret, IReadOnlyList<string> NotSecret, string Path);

/// <summary>Small helpers over YamlDotNet's representation model that keep positions for errors.</summary>
internal static class Yaml
{
    public static YamlMappingNode ParseRoot(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            string reason = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
            throw new ConfigurationException($"{file}:{e.Start.Line}:{e.Start.Column}: invalid YAML: {reason}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new YamlMappingNode();
        }

        return Mapping(stream.Documents[0].RootNode, file, "the document");
    }

    public static string Where(string file, YamlNode node) => $"{file}:{node.Start.Line}:{node.Start.Column}";

    /// <summary>A misspelt key is an error at its position, never silently ignored.</summary>
    public static void RejectUnknownKeys(YamlMappingNode map, IReadOnlySet<string> known, string file, string what)
    {
        foreach (var key in map.Children.Keys)
        {
            string name = Scalar(key, file, "a key");
            if (!known.Contains(name))
            {
                throw new ConfigurationException($"{Where(file, key)}: unknown {what} '{name}' (known: {string.Join(", ", known.Order())})");
            }
        }
    }

    public static YamlMappingNode Mapping(YamlNode node, string file, string what) =>
        node as YamlMappingNode ?? throw new ConfigurationException($"{Where(file, node)}: {what} must be a mapping");

    public static IEnumerable<YamlNode> Sequence(YamlNode node, string file, string what) =>
        node as YamlSequenceNode ?? throw new ConfigurationException($"{Where(file, node)}: {what} must be a list");

    public static string Scalar(YamlNode node, string file, string what) =>
        (node as YamlScalarNode)?.Value ?? throw new ConfigurationException($"{Where(file, node)}: {what} must be a string");

    public static string RequiredString(YamlMappingNode map, string key, string file) =>
        OptionalString(map, key, file) ?? throw new ConfigurationException($"{Where(file, map)}: missing '{key}'");

    public static string? OptionalString(YamlMappingNode map, string key, string file) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node) ? Scalar(node, file, $"'{key}'") : null;

    public static double? OptionalDouble(YamlMappingNode map, string key, string file)
    {
        string? s = OptionalString(map, key, file);
        if (s is null)
        {
            return null;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            ? d
            : throw new ConfigurationException($"{Where(file, map[key])}: '{key}' must be a number, not '{s}'");
    }

    public static bool? OptionalBool(YamlMappingNode map, string key, string file)
    {
        string? s = OptionalString(map, key, file);
        return s switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => throw new ConfigurationException($"{Where(file, map[key])}: '{key}' must be true or false, not '{s}'"),
        };
    }

    public static T Enum<T>(YamlMappingNode map, string key, string file, T fallback)
        where T : struct, System.Enum
    {
        string? s = OptionalString(map, key, file);
        if (s is null)
        {
            return fallback;
        }

        return System.Enum.TryParse(s, ignoreCase: true, out T value) && System.Enum.IsDefined(value) && !char.IsAsciiDigit(s[0])
            ? value
            : throw new ConfigurationException($"{Where(file, map[key])}: '{key}' must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{s}'");
    }

    public static IReadOnlyList<string> StringList(YamlMappingNode map, string key, string file)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node))
        {
            return [];
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value is null or "" ? [] : [scalar.Value];
        }

        return Sequence(node, file, $"'{key}'").Select(n => Scalar(n, file, $"an item of '{key}'")).ToArray();
    }
}
