namespace NhiGuard.Scanner;

/// <summary>Bad user input (a config file, a rule, a baseline): the message says what and where.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
