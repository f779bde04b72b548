namespace NhiGuard.Scanner.Config;

/// <summary>
/// .npmrc: <c>key=value</c> lines, split at the first '=' only, since keys such as
/// <c>//registry.npmjs.org/:_authToken</c> contain ':'.
/// </summary>
internal sealed class NpmrcConfigFormat : IConfigFormat
{
    public static readonly NpmrcConfigFormat Instance = new();

    public bool Handles(string relativePath) =>
        ConfigText.FileName(relativePath).Equals(".npmrc", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<ConfigEntry> Read(string text) => KeyValueLines.Read(text, sections: false, separators: "=");
}
