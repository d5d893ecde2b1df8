package jcnn.compile;

import jcnn.graph.Graph;
import jcnn.graph.Weights;

/** A graph with the weights it reads: what every compile pass takes and returns. */
public record Compiled(Graph graph, Weights weights) {}
