using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace NhiGuard.Detection;

/// <summary>A rule with its regexes built and its fields checked.</summary>
internal sealed class CompiledRule
{
    public CompiledRule(Rule rule, TimeSpan timeout)
    {
        Rule = rule;
        if (string.IsNullOrWhiteSpace(rule.Id))
        {
            throw new RuleException("?", rule.Origin, "a rule needs an id");
        }

        if (rule.Regex is null && rule.Path is null)
        {
            throw new RuleException(rule.Id, rule.Origin, "a rule needs a regex or a path");
        }

        if (rule.Checksum is not null && !Checksums.IsKnown(rule.Checksum))
        {
            throw new RuleException(rule.Id, rule.Origin, $"unknown checksum validator '{rule.Checksum}' (known: {string.Join(", ", Checksums.Names)})");
        }

        if (rule.Regex is not null)
        {
            // Parse now (a bad pattern is an error at load time); build the matching engine on the
            // rule's first keyword hit, since most rules never run on a given scan.
            string pattern = rule.Regex;
            Regex? syntaxChecked = rule.IsBuiltIn ? null : LinearRegex.Validate(pattern, timeout, rule.Id, rule.Origin, "regex");
            _regex = new Lazy<Regex>(
                () => LinearRegex.Create(pattern, timeout, syntaxChecked ?? LinearRegex.Validate(pattern, timeout, rule.Id, rule.Origin, "regex")),
                System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            if (LinearRegex.BuildsNonBacktracking(pattern))
            {
                // The first characters go through the interpreter, which costs nothing to build:
                // a NonBacktracking regex of a generic rule takes 30-70 ms to build, more than a
                // pre-commit scan of a small commit takes in all.
                _starter = new Lazy<Regex>(
                    () => LinearRegex.Validate(pattern, StarterTimeout, rule.Id, rule.Origin, "regex"),
                    System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

                // These are the costly regexes (build, DFA, interpreter start): most windows are
                // turned away by what follows the keyword, before either engine runs. Read once
                // the rule has read 2 KB (see GateFor): reading 46 gates up front cost a
                // pre-commit scan 60 ms, reading those of its few windows' rules still 35 ms.
                _gate = new Lazy<KeywordGate?>(() => KeywordGate.Create(pattern, rule.Keywords, timeout), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            }
        }

        if (rule.Path is not null)
        {
            PathGlob = new Glob(rule.Path);
        }

        SpansFar = rule.Regex is not null && RegexShape.MaySpanFar(rule.Regex);
        (LineReach, RequiresDigit) = rule.Regex is null ? new RegexShape.Shape(0, false) : RegexShape.Read(rule.Regex);

        Allow = new CompiledAllowlist(rule.Allow, rule.Id, rule.Origin, timeout);
    }

    // How much text a rule whose engine is NonBacktracking reads with the interpreter first, for
    // how long in all, and how long one interpreter match may take before the linear engine takes
    // over for good. The interpreter's speed on a generic rule depends on the text: on lines dense
    // with its keyword it read 64 KB in 190 ms, several times what the linear engine costs to
    // build, hence the time budget.
    internal const long StarterCharacters = 64 * 1024;
    internal const long BackgroundBuildAfter = 16 * 1024;
    private static readonly long StarterBudget = System.Diagnostics.Stopwatch.Frequency / 40; // 25 ms
    private static readonly TimeSpan StarterTimeout = TimeSpan.FromMilliseconds(200);

    private readonly Lazy<Regex>? _regex;
    private readonly Lazy<Regex>? _starter;
    private readonly Lazy<KeywordGate?>? _gate;
    private long _gateCharacters;
    internal const long GateAfter = 2 * 1024;
    private long _startedCharacters;
    private long _starterTicks;
    private int _building;

    public Rule Rule { get; }

    /// <summary>The rule's matching engine for any amount of text (built on first use).</summary>
    public Regex? Regex => _regex?.Value;

    /// <summary>
    /// The engine for the next <paramref name="length"/> characters: the cheap-to-build interpreter
    /// while the rule has read little (a pre-commit scan), then <see cref="Regex"/>.
    /// </summary>
    /// <remarks>
    /// Once the interpreter has read 16 KB for the rule, the linear engine starts being built on a
    /// pool thread; once it is built, it reads everything. So a long scan pays the build on a
    /// spare core while the interpreter reads on, and only for the rules its text needs.
    /// </remarks>
    public Regex? RegexFor(int length)
    {
        if (_starter is null || _regex!.IsValueCreated)
        {
            return Regex;
        }

        long started = System.Threading.Interlocked.Add(ref _startedCharacters, length);
        if (started > StarterCharacters || System.Threading.Volatile.Read(ref _starterTicks) >= StarterBudget)
        {
            return Regex;
        }

        // Not for the first few KB: a pre-commit scan of a small change is over before the
        // build would be, and the build's CPU (and JIT) slowed it by 30 ms.
        if (started > BackgroundBuildAfter && System.Threading.Interlocked.Exchange(ref _building, 1) == 0)
        {
            System.Threading.ThreadPool.QueueUserWorkItem(static rule => ((CompiledRule)rule!).BuildQuietly(), this);
        }

        return _starter.Value;
    }

    // The build on a pool thread: a pattern that fails to build says so where it is first used.
    private void BuildQuietly()
    {
        try
        {
            _ = _regex!.Value;
        }
        catch (RuleException)
        {
        }
    }

    /// <summary>
    /// What must follow a keyword where the rule matches (<see cref="KeywordGate"/>), for the next
    /// <paramref name="length"/> characters: none while the rule has read less than
    /// <see cref="GateAfter"/> (a pre-commit scan's few windows cost the interpreter less than
    /// reading the gate), and none for a rule without one (a cheap regex, or a pattern the gate
    /// cannot read).
    /// </summary>
    public KeywordGate? GateFor(int length) =>
        _gate is null ? null
        : _gate.IsValueCreated || System.Threading.Interlocked.Add(ref _gateCharacters, length) > GateAfter ? _gate.Value
        : null;

    /// <summary>Whether the linear engine has been built (by <see cref="Regex"/> or in the background).</summary>
    public bool IsLinearEngineBuilt => _regex is { IsValueCreated: true };

    public bool IsStarter(Regex regex) => _starter is { IsValueCreated: true } && ReferenceEquals(_starter.Value, regex);

    /// <summary>Counts the time an interpreter match took against the starter's budget.</summary>
    public void ChargeStarter(long ticks) => System.Threading.Interlocked.Add(ref _starterTicks, ticks);

    /// <summary>After an interpreter match ran out of time: the linear engine from now on.</summary>
    public void RetireStarter() => System.Threading.Interlocked.Exchange(ref _startedCharacters, long.MaxValue / 2);

    /// <summary>The rule's index among the detector's path-limited rules; -1 when it applies at every path (set once, by the detector).</summary>
    public int PathIndex { get; set; } = -1;

    /// <summary>Indexes of the rule's keywords in the detector's prefilter (set once, by the detector).</summary>
    public int[] KeywordIndexes { get; set; } = Array.Empty<int>();

    /// <summary>Whether a match may run far from its keyword (a PEM block), so windows would cut it.</summary>
    public bool SpansFar { get; }

    /// <summary>How many line feeds one match can hold (<see cref="RegexShape.Unbounded"/> when the pattern does not say).</summary>
    public int LineReach { get; }

    /// <summary>Whether every match holds an ASCII digit (the generic rules' values must), so a window without one is skipped.</summary>
    public bool RequiresDigit { get; }
    public bool HasRegex => _regex is not null;
    public Glob? PathGlob { get; }
    public CompiledAllowlist Allow { get; }

    public bool AppliesTo(string path) => (PathGlob is null || PathGlob.IsMatch(path)) && !Allow.AllowsPath(path);

    /// <summary>Applies entropy, checksum, placeholder and allowlist filters to one match.</summary>
    public bool Accepts(string secret, CompiledAllowlist global, out Confidence confidence)
    {
        confidence = Rule.Confidence;
        if (Rule.Entropy is double min && Entropy.Shannon(secret) < min)
        {
            return false;
        }

        if (Rule.Checksum is not null)
        {
            if (!Checksums.IsValid(Rule.Checksum, secret))
            {
                return false;
            }

            confidence = Confidence.High;
        }

        return !Placeholders.IsPlaceholder(secret) && !Allow.AllowsSecret(secret) && !global.AllowsSecret(secret);
    }
}

/// <summary>An allowlist with its regexes and globs built.</summary>
internal sealed class CompiledAllowlist
{
    private readonly Regex[] _regexes;
    private readonly string[] _stopwords;
    private readonly Glob[] _paths;

    public CompiledAllowlist(RuleAllowlist allow, string owner, string? origin, TimeSpan timeout)
    {
        // Allow regexes only ever see one secret, a short input: the interpreter (cheap to build,
        // under the timeout) suits them.
        _regexes = allow.Regexes.Select(r => LinearRegex.Validate(r, timeout, owner, origin, "allow regex")).ToArray();
        _stopwords = allow.Stopwords.Where(s => s.Length > 0).ToArray();
        _paths = allow.Paths.Select(p => new Glob(p)).ToArray();
    }

    private CompiledAllowlist(Regex[] regexes, string[] stopwords, Glob[] paths) => (_regexes, _stopwords, _paths) = (regexes, stopwords, paths);

    /// <summary>
    /// An allowlist that leaves out what does not compile instead of failing (the analyzers read a
    /// <c>.nhiguard.yaml</c> that the CLI validates, and must never throw).
    /// </summary>
    public static CompiledAllowlist Lenient(IEnumerable<string> paths, IEnumerable<string> regexes, IEnumerable<string> stopwords, TimeSpan timeout) => new(
        regexes.Select(r => Try(() => new Regex(r, RegexOptions.CultureInvariant, timeout))).OfType<Regex>().ToArray(),
        stopwords.Where(s => s.Length > 0).ToArray(),
        paths.Where(p => p.Trim().Length > 0).Select(p => Try(() => new Glob(p))).OfType<Glob>().ToArray());

    public bool IsEmpty => _regexes.Length == 0 && _stopwords.Length == 0 && _paths.Length == 0;

    public bool HasPaths => _paths.Length > 0;

    public bool AllowsPath(string path) => _paths.Any(g => g.IsMatch(path));

    public bool AllowsSecret(string secret)
    {
        foreach (string s in _stopwords)
        {
            if (secret.IndexOf(s, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        foreach (Regex r in _regexes)
        {
            try
            {
                if (r.IsMatch(secret))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // An allow regex that cannot decide does not allow.
            }
        }

        return false;
    }

    private static T? Try<T>(Func<T> create)
        where T : class
    {
        try
        {
            return create();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>
/// Builds regexes that cannot backtrack catastrophically: NonBacktracking where the runtime has it
/// and the pattern allows it, otherwise the backtracking engine under a timeout.
/// </summary>
internal static class LinearRegex
{
    private const RegexOptions Common = RegexOptions.CultureInvariant;

    /// <summary>Parses a pattern with the cheap-to-build interpreter, turning a syntax error into a <see cref="RuleException"/>.</summary>
    public static Regex Validate(string pattern, TimeSpan timeout, string owner, string? origin, string what)
    {
        try
        {
            return new Regex(pattern, Common, timeout);
        }
        catch (ArgumentException e)
        {
            throw new RuleException(owner, origin, $"invalid {what} '{pattern}': {e.Message}");
        }
    }

    public static Regex Create(string pattern, TimeSpan timeout, string owner, string? origin, string what) =>
        Create(pattern, timeout, Validate(pattern, timeout, owner, origin, what));

    /// <summary>Whether <see cref="Create(string, TimeSpan, Regex)"/> is to build a NonBacktracking regex for the pattern.</summary>
    public static bool BuildsNonBacktracking(string pattern)
    {
#if NET
        string engine = Environment.GetEnvironmentVariable("NHIGUARD_REGEX_ENGINE") ?? "auto";
        return engine == "nonbacktracking" || (engine == "auto" && !RegexShape.SuitsInterpreter(pattern));
#else
        return false;
#endif
    }

    /// <summary>The matching engine for an already validated pattern.</summary>
    public static Regex Create(string pattern, TimeSpan timeout, Regex interpreted)
    {
#if NET
        // NHIGUARD_REGEX_ENGINE=interpreter|compiled|nonbacktracking forces one engine, to rerun the
        // measurements behind RegexShape with the throughput benchmark.
        string engine = Environment.GetEnvironmentVariable("NHIGUARD_REGEX_ENGINE") ?? "auto";
        if (engine == "interpreter" || (engine == "auto" && RegexShape.SuitsInterpreter(pattern)))
        {
            return interpreted;
        }

        if (engine == "compiled")
        {
            return new Regex(pattern, Common | RegexOptions.Compiled, timeout);
        }

        try
        {
            return new Regex(pattern, Common | RegexOptions.NonBacktracking, timeout);
        }
        catch (NotSupportedException)
        {
            // Lookarounds, backreferences or atomic groups: the backtracking engine under a timeout.
        }
#endif
        return interpreted;
    }
}
