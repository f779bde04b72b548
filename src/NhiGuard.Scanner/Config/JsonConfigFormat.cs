namespace NhiGuard.Scanner.Config;

/// <summary>
/// .NET settings JSON (appsettings*.json, launchSettings.json, secrets.json, *.settings.json): keys joined
/// with ':' as .NET configuration does (<c>AzureAd:ClientSecret</c>, <c>Clients:0:Secret</c>); string values only.
/// </summary>
internal sealed class JsonConfigFormat : IConfigFormat
{
    public static readonly JsonConfigFormat Instance = new();

    public bool Handles(string relativePath)
    {
        string name = ConfigText.FileName(relativePath);
        return name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            && (name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase)
                || name.Equals("launchSettings.json", StringComparison.OrdinalIgnoreCase)
                || name.Equals("secrets.json", StringComparison.OrdinalIgnoreCase)
                || name.EndsWith(".settings.json", StringComparison.OrdinalIgnoreCase));
    }

    public IReadOnlyList<ConfigEntry> Read(string text)
    {
        var entries = new EntryList();
        LenientJson.Read(text, entries, (path, value, start, length) => entries.Add(new ConfigEntry(string.Join(':', path), value, start, length)));
        return entries.Entries;
    }
}
