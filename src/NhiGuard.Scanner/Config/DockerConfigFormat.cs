namespace NhiGuard.Scanner.Config;

/// <summary>
/// Docker's config.json: the JSON entries, plus <c>auths:&lt;registry&gt;:auth</c> decoded from base64 to
/// <c>user:password</c> (Decoded, spanning the base64).
/// </summary>
internal sealed class DockerConfigFormat : IConfigFormat
{
    /// <summary><c>.docker/config.json</c>: always Docker's.</summary>
    public static readonly DockerConfigFormat DockerDirectory = new(requireAuths: false);

    /// <summary>Any other <c>config.json</c>: read only when it has an <c>auths</c> object.</summary>
    public static readonly DockerConfigFormat AnyConfigJson = new(requireAuths: true);

    private readonly bool _requireAuths;

    private DockerConfigFormat(bool requireAuths) => _requireAuths = requireAuths;

    public bool Handles(string relativePath)
    {
        string path = relativePath.Replace('\\', '/');
        bool inDockerDirectory = path.Equals(".docker/config.json", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith("/.docker/config.json", StringComparison.OrdinalIgnoreCase);
        return _requireAuths
            ? ConfigText.FileName(path).Equals("config.json", StringComparison.OrdinalIgnoreCase)
            : inDockerDirectory;
    }

    public IReadOnlyList<ConfigEntry> Read(string text)
    {
        var entries = new EntryList();
        bool sawAuths = false;
        LenientJson.Read(text, entries, (path, value, start, length) =>
        {
            string key = string.Join(':', path);
            entries.Add(new ConfigEntry(key, value, start, length));
            if (path.Count >= 2 && path[0] == "auths")
            {
                sawAuths = true;
                if (path.Count == 3 && path[2] == "auth" && ConfigText.TryDecodeBase64Utf8(value, out string decoded))
                {
                    entries.Add(new ConfigEntry(key, decoded, start, length, Decoded: true));
                }
            }
        });
        return _requireAuths && !sawAuths ? [] : entries.Entries;
    }
}
