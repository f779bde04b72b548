namespace NhiGuard.Scanner.Config;

/// <summary>
/// One key/value pair read from a configuration file.
/// </summary>
/// <param name="Key">The key path as a user of that format writes it: <c>AzureAd:ClientSecret</c>
/// for appsettings.json, <c>connectionStrings:Default</c> for web.config, <c>data.password</c> for YAML,
/// <c>API_KEY</c> for .env.</param>
/// <param name="Value">The value, unquoted and unescaped; decoded when <paramref name="Decoded"/>.</param>
/// <param name="Start">Character offset of the value as written in the file's text.</param>
/// <param name="Length">Length of the value as written (the encoded span when decoded).</param>
/// <param name="Decoded">True when <paramref name="Value"/> was decoded (base64 in a Kubernetes Secret,
/// Docker's auth) and so does not appear verbatim at Start.</param>
internal sealed record ConfigEntry(string Key, string Value, int Start, int Length, bool Decoded = false);

/// <summary>A configuration file format whose structure the scanner understands.</summary>
internal interface IConfigFormat
{
    /// <summary>Whether this format reads the file at <paramref name="relativePath"/> ('/'-separated).</summary>
    bool Handles(string relativePath);

    /// <summary>
    /// The key/value pairs of the file. Must never throw on malformed input: return what could be
    /// read (possibly nothing); the raw-text scan still runs on every file.
    /// </summary>
    IReadOnlyList<ConfigEntry> Read(string text);
}
