namespace Lepton.Simulator.Running;

/// <summary>How pods are placed.</summary>
public enum SimulationMode
{
    /// <summary>The FGD artifact's method exactly: the policy's own score decides, ties by node priority.</summary>
    Artifact,

    /// <summary>Through an emulated kube-scheduler: Lepton as an extender (scores 0..10) mixed with default plugins.</summary>
    Kube,

    /// <summary>Replays creation and deletion times with a waiting queue.</summary>
    Timeline,
}
