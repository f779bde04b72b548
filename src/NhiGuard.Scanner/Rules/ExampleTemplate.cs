using System.Text;
using System.Text.RegularExpressions;
using NhiGuard.Detection;

namespace NhiGuard.Scanner.Rules;

/// <summary>
/// Expands the templates in rule examples and test fixtures (<c>{{rand:alnum:40}}</c>,
/// <c>{{github:ghp}}</c>, ...) with a seeded generator, so that no credential-shaped value is
/// ever committed and every run sees the same values.
/// </summary>
public sealed partial class ExampleTemplate
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly Dictionary<string, string> Charsets = new(StringComparer.Ordinal)
    {
        ["alnum"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        ["lower"] = "abcdefghijklmnopqrstuvwxyz0123456789",
        ["upper"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        ["alpha"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        ["hex"] = "0123456789abcdef",
        ["HEX"] = "0123456789ABCDEF",
        ["digits"] = "0123456789",
        ["b64"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        ["b64url"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    };

    [GeneratedRegex(@"\{\{(?<name>rand|github|github-badcrc|npm|npm-badcrc|base64)(?::(?<args>[^{}]*))?\}\}")]
    private static partial Regex Token();

    private readonly Random _random;

    public ExampleTemplate(int seed) => _random = new Random(seed);

    /// <summary>A seed that depends only on the text, so an example always expands alike.</summary>
    public static int SeedOf(string text)
    {
        uint h = 2166136261;
        foreach (char c in text)
        {
            h = (h ^ c) * 16777619;
        }

        return (int)(h & 0x7FFFFFFF);
    }

    public static string ExpandOnce(string text) => new ExampleTemplate(SeedOf(text)).Expand(text);

    /// <summary>Expands every template; repeats of the same template text get the same value.</summary>
    public string Expand(string text)
    {
        var memo = new Dictionary<string, string>(StringComparer.Ordinal);
        string previous;
        do
        {
            previous = text;
            text = Token().Replace(text, m =>
            {
                if (!memo.TryGetValue(m.Value, out string? value))
                {
                    memo[m.Value] = value = Generate(m.Groups["name"].Value, m.Groups["args"].Value, m.Value);
                }

                return value;
            });
        }
        while (text != previous);

        return text;
    }

    private string Generate(string name, string args, string whole)
    {
        switch (name)
        {
            case "rand":
                string[] parts = args.Split(':');
                if (parts.Length != 2 || !Charsets.TryGetValue(parts[0], out string? set) || !int.TryParse(parts[1], out int n) || n <= 0)
                {
                    throw new FormatException($"bad template '{whole}': expected {{{{rand:CHARSET:N}}}} with CHARSET one of {string.Join(", ", Charsets.Keys)}");
                }

                return Random(set, n);
            case "github":
            case "github-badcrc":
                if (args.Length == 0)
                {
                    throw new FormatException($"bad template '{whole}': expected a prefix such as ghp");
                }

                return Crc32Token(args + "_", valid: name == "github");
            case "npm":
            case "npm-badcrc":
                return Crc32Token("npm_", valid: name == "npm");
            case "base64":
                return Convert.ToBase64String(Encoding.UTF8.GetBytes(Expand(args)));
            default:
                throw new FormatException($"unknown template '{whole}'");
        }
    }

    private string Crc32Token(string prefix, bool valid)
    {
        string payload = Random(Base62, 30);
        uint crc = Checksums.Crc32(Encoding.ASCII.GetBytes(payload));
        if (!valid)
        {
            crc ^= 0x5A5A5A5A;
        }

        return prefix + payload + Checksums.Base62Encode(crc, 6);
    }

    private string Random(string set, int n)
    {
        var chars = new char[n];
        for (int i = 0; i < n; i++)
        {
            chars[i] = set[_random.Next(set.Length)];
        }

        return new string(chars);
    }
}
