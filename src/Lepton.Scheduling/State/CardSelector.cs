namespace Lepton.Scheduling.State;

/// <summary>Chooses the cards a pod takes on a node (a policy's card rule).</summary>
/// <param name="node">The node state at the moment of placement.</param>
/// <param name="cards">Receives card indices.</param>
/// <returns>Cards written (0 without GPUs), or -1 when the pod does not fit the cards.</returns>
public delegate int CardSelector(NodeState node, Span<int> cards);
