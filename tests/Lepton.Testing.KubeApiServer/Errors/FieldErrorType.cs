namespace Lepton.Testing.KubeApiServer.Errors;

/// <summary>The kinds of <c>field.Error</c> the test server produces.</summary>
internal enum FieldErrorType
{
    Invalid,
    Required,
    Forbidden,
    NotSupported,
}
