namespace NhiGuard.Detection;

/// <summary>How bad it is when a finding of this rule is real.</summary>
public enum Severity
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>How sure the detector is that a match is a real secret.</summary>
public enum Confidence
{
    Low,
    Medium,
    High,
}
