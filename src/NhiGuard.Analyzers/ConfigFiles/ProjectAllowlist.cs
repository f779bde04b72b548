using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NhiGuard.Detection;

namespace NhiGuard.Analyzers.ConfigFiles;

/// <summary>
/// The <c>allow:</c> and <c>disable:</c> settings of the project's <c>.nhiguard.yaml</c> (passed as an
/// additional file by the package's build files), so that what <c>nhiguard scan</c> allows is not
/// reported in the IDE and the build either.
/// </summary>
internal sealed class ProjectAllowlist
{
    public const string FileName = ".nhiguard.yaml";

    /// <summary>Set by the package on the additional file it adds from <c>$(NhiGuardConfigFile)</c>, whatever its name.</summary>
    public const string MetadataKey = "build_metadata.AdditionalFiles.NhiGuardConfig";

    public static readonly ProjectAllowlist None = new(ImmutableArray<ConfigFile>.Empty);

    // Parsed once per additional file: its AdditionalText lives as long as the compilation (or the
    // IDE's document state) that holds it, and a changed text is read again.
    private static readonly ConditionalWeakTable<AdditionalText, StrongBox<ConfigFile?>> Cache = new();

    private readonly ImmutableArray<ConfigFile> _files;

    private ProjectAllowlist(ImmutableArray<ConfigFile> files) => _files = files;

    public bool IsEmpty => _files.IsEmpty;

    /// <summary>The allowlist of the <c>.nhiguard.yaml</c> files among <paramref name="options"/>' additional files; <see cref="None"/> without one.</summary>
    public static ProjectAllowlist For(AnalyzerOptions options, CancellationToken cancellationToken)
    {
        ImmutableArray<ConfigFile>.Builder? files = null;
        foreach (AdditionalText additional in options.AdditionalFiles)
        {
            if (IsConfigFile(additional, options) && Read(additional, cancellationToken) is { IsEmpty: false } file)
            {
                (files ??= ImmutableArray.CreateBuilder<ConfigFile>()).Add(file);
            }
        }

        return files is null ? None : new ProjectAllowlist(files.ToImmutable());
    }

    /// <summary>Whether <paramref name="path"/> (absolute, of a source or additional file) matches an <c>allow: paths</c> glob, relative to the config file's folder.</summary>
    public bool AllowsPath(string? path)
    {
        if (path is null || path.Length == 0)
        {
            return false;
        }

        foreach (ConfigFile file in _files)
        {
            if (file.AllowsPath(path))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="secret"/> contains an <c>allow: stopwords</c> entry (ignoring case) or matches an <c>allow: regexes</c> one.</summary>
    public bool AllowsSecret(string? secret)
    {
        if (secret is null)
        {
            return false;
        }

        foreach (ConfigFile file in _files)
        {
            if (file.AllowsSecret(secret))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the catalog rule <paramref name="catalogRuleId"/> (<c>github-pat</c>) is listed under <c>disable:</c>.</summary>
    public bool Disables(string? catalogRuleId)
    {
        if (catalogRuleId is null)
        {
            return false;
        }

        foreach (ConfigFile file in _files)
        {
            if (file.Disabled.Contains(catalogRuleId))
            {
                return true;
            }
        }

        return false;
    }

    // .nhiguard.yaml by name, or any YAML file the package marked.
    private static bool IsConfigFile(AdditionalText file, AnalyzerOptions options)
    {
        string name = Path.GetFileName(CatalogDetector.NormalizePath(file.Path));
        if (string.Equals(name, FileName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            && options.AnalyzerConfigOptionsProvider.GetOptions(file).TryGetValue(MetadataKey, out string? marked)
            && string.Equals(marked.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    }

    private static ConfigFile? Read(AdditionalText additional, CancellationToken cancellationToken)
    {
        if (additional.GetText(cancellationToken) is not { } text)
        {
            return null;
        }

        StrongBox<ConfigFile?> slot = Cache.GetValue(additional, _ => new StrongBox<ConfigFile?>());
        if (Volatile.Read(ref slot.Value) is { } cached && cached.Text == text)
        {
            return cached;
        }

        // Two threads may both read it the first time; either result is the same.
        var file = new ConfigFile(additional.Path, text, NhiGuardYaml.Read(text.ToString()));
        Volatile.Write(ref slot.Value, file);
        return file;
    }

    /// <summary>One config file's settings, with its regexes and globs built.</summary>
    private sealed class ConfigFile
    {
        // A match against one short secret; a pattern that cannot decide in time does not allow.
        private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

        private readonly string _folder;
        private readonly CompiledAllowlist _allow;

        public ConfigFile(string path, SourceText text, NhiGuardYamlSettings settings)
        {
            Text = text;
            // Not Path.GetDirectoryName: a Windows path's '\' is no separator when the analyzer runs elsewhere.
            string normalized = CatalogDetector.NormalizePath(path);
            _folder = normalized.Substring(0, Math.Max(0, normalized.LastIndexOf('/')));

            // The CLI refuses a file with a bad regex or glob; here it is only left out.
            _allow = CompiledAllowlist.Lenient(settings.Paths, settings.Regexes, settings.Stopwords, RegexTimeout);
            Disabled = settings.Disable.ToImmutableHashSet(StringComparer.Ordinal);
        }

        public SourceText Text { get; }

        public ImmutableHashSet<string> Disabled { get; }

        public bool IsEmpty => _allow.IsEmpty && Disabled.IsEmpty;

        public bool AllowsPath(string path) =>
            _allow.HasPaths && Relative(CatalogDetector.NormalizePath(path)) is { } relative && _allow.AllowsPath(relative);

        public bool AllowsSecret(string secret) => _allow.AllowsSecret(secret);

        // The path below the config file's folder; null outside it. Case-insensitive, for Windows drive letters and folders.
        private string? Relative(string path)
        {
            if (_folder.Length == 0)
            {
                return path.TrimStart('/');
            }

            return path.Length > _folder.Length + 1
                && path[_folder.Length] == '/'
                && path.StartsWith(_folder, StringComparison.OrdinalIgnoreCase)
                ? path.Substring(_folder.Length + 1)
                : null;
        }
    }
}
