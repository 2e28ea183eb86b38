using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Binding;

/// <content>Log messages.</content>
public sealed partial class ApiServerPodBinder
{
    [LoggerMessage(2201, LogLevel.Debug, "Bound pod {Namespace}/{Name} to node {Node}")]
    private static partial void LogBound(ILogger logger, string @namespace, string name, string node);

    [LoggerMessage(2202, LogLevel.Information, "Pod {Namespace}/{Name} was already bound to node {Node} (an earlier attempt landed)")]
    private static partial void LogAlreadyBound(ILogger logger, string @namespace, string name, string node);

    [LoggerMessage(2203, LogLevel.Information, "Binding pod {Namespace}/{Name} to node {Node} ended without an answer ({Cause}); its outcome is unknown")]
    private static partial void LogOutcomeUnknown(ILogger logger, string @namespace, string name, string node, string cause);
}
