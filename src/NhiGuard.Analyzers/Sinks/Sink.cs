namespace NhiGuard.Analyzers.Sinks;

/// <summary>How the value that reaches a sink carries what the rule looks for.</summary>
internal enum SinkValueKind
{
    /// <summary>The value is the secret (a client secret, password, key or token).</summary>
    Secret,

    /// <summary><c>AuthenticationHeaderValue</c>'s parameter: a secret when the scheme is Basic or Bearer.</summary>
    AuthorizationParameter,

    /// <summary>An HTTP header value: a secret when the header is Authorization or an API-key header.</summary>
    HeaderValue,

    /// <summary>Name/value pairs of a form body: the values of secret-named fields.</summary>
    FormFields,

    /// <summary>A URL or body in query-string form: the values of secret-named keys.</summary>
    QueryString,

    /// <summary>Key material for signing tokens: a string or bytes.</summary>
    SigningKey,

    /// <summary>Scopes as a list (<c>string[]</c>, <c>IEnumerable&lt;string&gt;</c>) or one space-separated string.</summary>
    Scopes,

    /// <summary>A scope collection property (<c>options.Scope</c>) whose <c>Add</c> takes one scope.</summary>
    ScopeCollection,
}

/// <summary>
/// One SDK member that takes a secret, a signing key or scopes: a constructor or method parameter,
/// or a property.
/// </summary>
/// <param name="Type">The metadata name of the type that declares the member (or an interface it implements).</param>
/// <param name="Member">The method or property name; <c>.ctor</c> for constructors.</param>
/// <param name="Parameter">The parameter that takes the value; null for a property.</param>
/// <param name="Kind">How the value carries the secret.</param>
internal sealed record Sink(string Type, string Member, string? Parameter, SinkValueKind Kind = SinkValueKind.Secret)
{
    public const string Constructor = ".ctor";

    public bool IsProperty => Parameter is null;

    /// <summary>The type's simple name, as written in a <c>new</c> expression (nested: <c>Outer.Inner</c>).</summary>
    public string TypeName
    {
        get
        {
            string name = Type.Substring(Type.LastIndexOf('.') + 1);
            int tick = name.IndexOf('`');
            return (tick < 0 ? name : name.Substring(0, tick)).Replace('+', '.');
        }
    }

    /// <summary>How diagnostics name the sink: <c>ClientSecretCredential(clientSecret)</c>, <c>OAuthOptions.ClientSecret</c>.</summary>
    public string DisplayName =>
        Member == Constructor ? $"{TypeName}({Parameter})"
        : IsProperty ? $"{TypeName}.{Member}"
        : $"{TypeName}.{Member}({Parameter})";
}
