namespace NhiGuard.Analyzers.Sinks;

/// <summary>
/// The SDK members that take a credential (NHI001) or token signing key material (NHI003).
/// Keep entries grouped by SDK; the rule pages in <c>rules/docs</c> list the same members.
/// </summary>
internal static class SecretSinks
{
    private const string Ctor = Sink.Constructor;

    public static readonly Sink[] Credentials =
    {
        // MSAL (Microsoft.Identity.Client)
        new("Microsoft.Identity.Client.ConfidentialClientApplicationBuilder", "WithClientSecret", "clientSecret"),
        new("Microsoft.Identity.Client.ConfidentialClientApplicationBuilder", "WithClientAssertion", "signedClientAssertion"),
        new("Microsoft.Identity.Client.ConfidentialClientApplicationOptions", "ClientSecret", null),
        new("Microsoft.Identity.Client.IPublicClientApplication", "AcquireTokenByUsernamePassword", "password"),
        new("Microsoft.Identity.Client.IByUsernameAndPassword", "AcquireTokenByUsernamePassword", "password"),

        // Azure.Identity, Azure.Core and System.ClientModel (AzureKeyCredential's base since Azure.Core 1.4x, OpenAI's key type)
        new("Azure.Identity.ClientSecretCredential", Ctor, "clientSecret"),
        new("Azure.Identity.OnBehalfOfCredential", Ctor, "clientSecret"),
        new("Azure.Identity.UsernamePasswordCredential", Ctor, "password"),
        new("Azure.AzureKeyCredential", Ctor, "key"),
        new("Azure.AzureKeyCredential", "Update", "key"),
        new("System.ClientModel.ApiKeyCredential", Ctor, "key"),
        new("System.ClientModel.ApiKeyCredential", "Update", "key"),
        new("Azure.AzureNamedKeyCredential", Ctor, "key"),
        new("Azure.AzureNamedKeyCredential", "Update", "key"),
        new("Azure.AzureSasCredential", Ctor, "signature"),
        new("Azure.AzureSasCredential", "Update", "signature"),

        // IdentityModel and Duende.IdentityModel: every ProtocolRequest (ClientCredentialsTokenRequest, ...)
        new("IdentityModel.Client.ProtocolRequest", "ClientSecret", null),
        new("IdentityModel.Client.PasswordTokenRequest", "Password", null),
        new("Duende.IdentityModel.Client.ProtocolRequest", "ClientSecret", null),
        new("Duende.IdentityModel.Client.PasswordTokenRequest", "Password", null),

        // Duende.AccessTokenManagement client options
        new("Duende.AccessTokenManagement.ClientCredentialsClient", "ClientSecret", null),

        // ASP.NET Core authentication handlers' options
        new("Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions", "ClientSecret", null),
        new("Microsoft.AspNetCore.Authentication.OAuth.OAuthOptions", "ClientSecret", null),
        new("Microsoft.AspNetCore.Authentication.Facebook.FacebookOptions", "AppSecret", null),
        new("Microsoft.AspNetCore.Authentication.Twitter.TwitterOptions", "ConsumerSecret", null),

        // Google
        new("Google.Apis.Auth.OAuth2.ClientSecrets", "ClientSecret", null),
        new("Google.Apis.Auth.OAuth2.GoogleCredential", "FromJson", "json"),
        new("Google.Apis.Auth.OAuth2.GoogleCredential", "FromAccessToken", "accessToken"),

        // AWS
        new("Amazon.Runtime.BasicAWSCredentials", Ctor, "secretKey"),
        new("Amazon.Runtime.SessionAWSCredentials", Ctor, "awsSecretAccessKey"),
        new("Amazon.Runtime.SessionAWSCredentials", Ctor, "token"),

        // Octokit: Credentials(token), Credentials(login, password)
        new("Octokit.Credentials", Ctor, "token"),
        new("Octokit.Credentials", Ctor, "password"),

        // Base class library
        new("System.Net.NetworkCredential", Ctor, "password"),
        new("System.Net.NetworkCredential", "Password", null),
        new("System.Net.Http.Headers.AuthenticationHeaderValue", Ctor, "parameter", SinkValueKind.AuthorizationParameter),
        new("System.Net.Http.Headers.HttpHeaders", "Add", "value", SinkValueKind.HeaderValue),
        new("System.Net.Http.Headers.HttpHeaders", "TryAddWithoutValidation", "value", SinkValueKind.HeaderValue),
        new("System.Net.Http.FormUrlEncodedContent", Ctor, "nameValueCollection", SinkValueKind.FormFields),
        new("System.Net.Http.StringContent", Ctor, "content", SinkValueKind.QueryString),
        new("System.Net.Http.HttpRequestMessage", Ctor, "requestUri", SinkValueKind.QueryString),
        new("System.Net.Http.HttpClient", "GetAsync", "requestUri", SinkValueKind.QueryString),
        new("System.Net.Http.HttpClient", "GetStringAsync", "requestUri", SinkValueKind.QueryString),
        new("System.Net.Http.HttpClient", "GetStreamAsync", "requestUri", SinkValueKind.QueryString),
        new("System.Net.Http.HttpClient", "GetByteArrayAsync", "requestUri", SinkValueKind.QueryString),
        new("System.Net.Http.HttpClient", "PostAsync", "requestUri", SinkValueKind.QueryString),
        new("System.Net.Http.HttpClient", "PutAsync", "requestUri", SinkValueKind.QueryString),
        new("System.Net.Http.HttpClient", "PatchAsync", "requestUri", SinkValueKind.QueryString),
        new("System.Net.Http.HttpClient", "DeleteAsync", "requestUri", SinkValueKind.QueryString),
        new("System.Uri", Ctor, "uriString", SinkValueKind.QueryString),
    };

    /// <summary>Headers whose value is a credential (compared ignoring case).</summary>
    public static readonly string[] SecretHeaders =
    {
        "Authorization", "Proxy-Authorization", "X-Api-Key", "Api-Key", "ApiKey", "X-Auth-Token", "X-Access-Token",
        "Ocp-Apim-Subscription-Key", "X-Functions-Key", "PRIVATE-TOKEN", "X-Vault-Token", "X-Figma-Token",
    };

    public static readonly Sink[] SigningKeys =
    {
        new("Microsoft.IdentityModel.Tokens.SymmetricSecurityKey", Ctor, "key", SinkValueKind.SigningKey),
        new("Microsoft.IdentityModel.Tokens.JsonWebKey", "K", null, SinkValueKind.SigningKey),
    };
}
