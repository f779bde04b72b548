using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis.Diagnostics;
using NhiGuard.Detection;

namespace NhiGuard.Analyzers;

/// <summary>
/// The rule catalog's detectors, one per minimum confidence, shared by every analyzer and
/// compilation (a detector is immutable and thread-safe).
/// </summary>
internal static class CatalogDetector
{
    private const string ExcludedRulesKey = "nhiguard.excluded_rules";
    private const string MinConfidenceKey = "nhiguard.min_confidence";

    // Rules below the minimum confidence are left out of the detector rather than filtered after
    // it ran: the low-confidence generic rules have the costliest patterns. Default options: no
    // init-only setter is called, so the analyzer also runs on the net10.0 build of the detection
    // core (as in the test host), not only on the netstandard2.0 one.
    private static readonly Lazy<Detector>[] ByMinimum =
        Enumerable.Range(0, 3)
            .Select(level => new Lazy<Detector>(() => new Detector(BuiltInRules.All.Where(r => (int)r.Confidence >= level))))
            .ToArray();

    /// <summary>The catalog settings of one file: which detector, and which of its findings to keep.</summary>
    internal sealed class Settings
    {
        private readonly ImmutableHashSet<string> _excluded;

        // A file's texts share one path: whether a keyword-less rule applies there is asked once.
        // (A reference, so a read from another thread sees a whole pair.)
        private PathVerdict? _lastPath;

        public Settings(AnalyzerConfigOptions options, Confidence defaultMinimum)
        {
            _excluded = options.TryGetValue(ExcludedRulesKey, out string? list)
                ? list.Split(',', ' ', ';').Select(s => s.Trim()).Where(s => s.Length > 0).ToImmutableHashSet(StringComparer.OrdinalIgnoreCase)
                : ImmutableHashSet<string>.Empty;
            Minimum = options.TryGetValue(MinConfidenceKey, out string? level) && Enum.TryParse(level.Trim(), ignoreCase: true, out Confidence parsed)
                ? parsed
                : defaultMinimum;
        }

        public Confidence Minimum { get; }

        /// <summary>Scans <paramref name="text"/> with the rules this file's settings keep; <paramref name="path"/> with '/' separators.</summary>
        public IEnumerable<Finding> Scan(string text, string path)
        {
            // Most literals name no keyword: the detector's own keyword pass says so before its
            // per-fragment work (allowlist and rule path globs, hit tables) is done for nothing.
            Detector detector = ByMinimum[(int)Minimum].Value;
            PathVerdict? known = _lastPath;
            if (known is null || !string.Equals(known.Path, path, StringComparison.Ordinal))
            {
                _lastPath = known = new PathVerdict(path, detector.HasRulesWithoutKeywordsAt(path));
            }

            if (!known.EveryText && !detector.HasKeyword(text))
            {
                return Array.Empty<Finding>();
            }

            IReadOnlyList<Finding> findings = detector.Scan(new Fragment(text, path));
            return findings.Count == 0 ? findings : findings.Where(f => f.Confidence >= Minimum && !_excluded.Contains(f.RuleId));
        }
    }

    private sealed record PathVerdict(string Path, bool EveryText);

    /// <summary>Forward slashes, as catalog path globs expect.</summary>
    public static string NormalizePath(string? path) => (path ?? "").Replace('\\', '/');
}
