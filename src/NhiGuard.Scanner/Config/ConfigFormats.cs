namespace NhiGuard.Scanner.Config;

/// <summary>Chooses the configuration reader for a file by its name: <c>ConfigFormats.For(path)?.Read(text)</c>.</summary>
internal static class ConfigFormats
{
    /// <summary>Every reader, most specific first (Docker's config.json before anything else claims it).</summary>
    public static IReadOnlyList<IConfigFormat> All { get; } =
    [
        DockerConfigFormat.DockerDirectory,
        DockerConfigFormat.AnyConfigJson,
        JsonConfigFormat.Instance,
        XmlConfigFormat.Instance,
        YamlConfigFormat.Instance,
        DotEnvConfigFormat.Instance,
        PropertiesConfigFormat.Instance,
        IniConfigFormat.Instance,
        TfvarsConfigFormat.Instance,
        NpmrcConfigFormat.Instance,
        GitCredentialsConfigFormat.Instance,
    ];

    /// <summary>The reader for the file at <paramref name="relativePath"/> ('/'-separated), or null when its structure is not read.</summary>
    public static IConfigFormat? For(string relativePath)
    {
        foreach (IConfigFormat format in All)
        {
            if (format.Handles(relativePath))
            {
                return format;
            }
        }

        return null;
    }
}
