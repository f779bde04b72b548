using System.Xml;

namespace NhiGuard.Scanner.Config;

/// <summary>
/// .NET XML configuration (web.config, app.config, NuGet.config, any *.config): <c>appSettings:K</c>,
/// <c>connectionStrings:N</c>, <c>packageSourceCredentials:Source:ClearTextPassword</c>, and any attribute
/// or element text whose name is secret-like, keyed by element path (<c>system.net/mailSettings/smtp/network@password</c>).
/// </summary>
internal sealed class XmlConfigFormat : IConfigFormat
{
    public static readonly XmlConfigFormat Instance = new();

    private static readonly string[] SecretMarkers =
    [
        "password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "api_key", "api-key",
        "accesskey", "access_key", "privatekey", "private_key", "credential", "connectionstring",
    ];

    public bool Handles(string relativePath) =>
        ConfigText.FileName(relativePath).EndsWith(".config", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<ConfigEntry> Read(string text)
    {
        var entries = new EntryList();
        if (text.Length > ConfigText.MaxLength)
        {
            return entries.Entries;
        }

        // XmlReader rejects a BOM char in a string; read past it and shift offsets by one.
        int shift = text.StartsWith('\uFEFF') ? 1 : 0;
        var lineStarts = LineStarts(text, shift);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CheckCharacters = false,
            MaxCharactersFromEntities = 1024,
        };
        var elements = new List<string>();
        try
        {
            using var reader = XmlReader.Create(new StringReader(shift == 0 ? text : text[shift..]), settings);
            var lineInfo = (IXmlLineInfo)reader;
            while (!entries.Full && reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (reader.Depth >= ConfigText.MaxDepth)
                        {
                            return entries.Entries;
                        }

                        Truncate(elements, reader.Depth);
                        elements.Add(reader.Name);
                        ReadAttributes(text, reader, lineInfo, lineStarts, elements, entries);
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA:
                        Truncate(elements, reader.Depth);
                        if (elements.Count > 0 && IsSecretLike(elements[^1]) && EntryList.KeyFits(elements.Skip(1)))
                        {
                            int offset = Offset(lineStarts, lineInfo);
                            AddText(text, offset, reader.NodeType == XmlNodeType.CDATA, reader.Value, ElementPath(elements), entries);
                        }

                        break;
                }
            }
        }
        catch (Exception ex) when (ex is XmlException or InvalidOperationException or ArgumentException)
        {
            // Malformed XML: keep the entries read before the error.
        }

        return entries.Entries;
    }

    private static void ReadAttributes(string text, XmlReader reader, IXmlLineInfo lineInfo, List<int> lineStarts, List<string> elements, EntryList entries)
    {
        if (!reader.HasAttributes)
        {
            return;
        }

        string element = elements[^1];
        string? parent = elements.Count >= 2 ? elements[^2] : null;
        string? grandparent = elements.Count >= 3 ? elements[^3] : null;
        string? pairKey = null;
        string? pairValueAttribute = null;
        if (element == "add")
        {
            if (reader.GetAttribute("key") is { } key && reader.GetAttribute("value") is not null && EntryList.KeyFits([grandparent, parent], key.Length))
            {
                pairKey = grandparent == "packageSourceCredentials" ? $"{grandparent}:{parent}:{key}" : Prefixed(parent, key);
                pairValueAttribute = "value";
            }
            else if (reader.GetAttribute("name") is { } name && reader.GetAttribute("connectionString") is not null && EntryList.KeyFits([parent], name.Length))
            {
                pairKey = Prefixed(parent, name);
                pairValueAttribute = "connectionString";
            }
        }

        string? path = null;
        while (reader.MoveToNextAttribute())
        {
            string attribute = reader.Name;
            string key;
            if (pairKey is not null && attribute == pairValueAttribute)
            {
                key = pairKey;
            }
            else if (pairKey is not null && attribute == (pairValueAttribute == "value" ? "key" : "name"))
            {
                continue;
            }
            else if (IsSecretLike(attribute) && EntryList.KeyFits(elements.Skip(1), attribute.Length))
            {
                path ??= ElementPath(elements);
                key = $"{path}@{attribute}";
            }
            else
            {
                continue;
            }

            if (AttributeValueSpan(text, Offset(lineStarts, lineInfo), attribute) is var (start, length))
            {
                entries.Add(new ConfigEntry(key, reader.Value, start, length));
            }
        }

        reader.MoveToElement();
    }

    private static string Prefixed(string? parent, string key) => parent is null ? key : $"{parent}:{key}";

    /// <summary>Element names below the root joined with '/' (the root alone when it is the element).</summary>
    private static string ElementPath(List<string> elements) =>
        elements.Count == 1 ? elements[0] : string.Join('/', elements.Skip(1));

    private static void Truncate(List<string> elements, int depth)
    {
        if (elements.Count > depth)
        {
            elements.RemoveRange(depth, elements.Count - depth);
        }
    }

    /// <summary>The span of an attribute's value inside its quotes, given the offset of its name.</summary>
    private static (int Start, int Length)? AttributeValueSpan(string text, int nameOffset, string name)
    {
        if (nameOffset < 0 || nameOffset + name.Length > text.Length || !text.AsSpan(nameOffset, name.Length).SequenceEqual(name))
        {
            return null;
        }

        int i = SkipSpace(text, nameOffset + name.Length);
        if (i >= text.Length || text[i] != '=')
        {
            return null;
        }

        i = SkipSpace(text, i + 1);
        if (i >= text.Length || text[i] is not ('"' or '\''))
        {
            return null;
        }

        int close = text.IndexOf(text[i], i + 1);
        return close < 0 ? null : (i + 1, close - i - 1);
    }

    private static void AddText(string text, int offset, bool cdata, string value, string key, EntryList entries)
    {
        if (offset < 0 || offset > text.Length || string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        int end = cdata ? text.IndexOf("]]>", offset, StringComparison.Ordinal) : text.IndexOf('<', offset);
        (int start, int stop) = ConfigText.TrimSpan(text, offset, end < 0 ? text.Length : end);
        entries.Add(new ConfigEntry(key, value.Trim(), start, stop - start));
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsSecretLike(string name)
    {
        // publicKeyToken and friends are identifiers, not secrets.
        if (name.Contains("public", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (string marker in SecretMarkers)
        {
            if (name.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        // validationKey, decryptionKey, accountKey; a bare "key" names, it does not hold.
        return name.Length > 3 && name.EndsWith("key", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Char offsets where XmlReader's lines start (it breaks lines at \r\n, \r and \n).</summary>
    private static List<int> LineStarts(string text, int shift)
    {
        var starts = new List<int> { shift };
        for (int i = shift; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static int Offset(List<int> lineStarts, IXmlLineInfo lineInfo)
    {
        int line = lineInfo.LineNumber;
        return line < 1 || line > lineStarts.Count ? -1 : lineStarts[line - 1] + lineInfo.LinePosition - 1;
    }
}
