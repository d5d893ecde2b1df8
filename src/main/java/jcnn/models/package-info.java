/**
 * The five network families as graphs, every variant of their papers' tables, and the zoo.
 *
 * <h2>Ids and options</h2>
 * A network is named by a spec {@code ID[:key=value[,key=value...]]} ({@link jcnn.models.Zoo#parse}):
 * <pre>
 * densenet121 densenet169 densenet201 densenet264        ImageNet DenseNet-BC, k=32 (224)
 * densenet_40_k12 densenet_100_k12 densenet_100_k24      CIFAR DenseNet, plain (32)
 * densenet_bc_100_k12 densenet_bc_250_k24 densenet_bc_190_k40   CIFAR DenseNet-BC (32)
 * resnext50_{1x64d,2x40d,4x24d,8x14d,32x4d}              ResNeXt-50 ablation (1x64d = ResNet-50)
 * resnext101_{1x64d,2x40d,4x24d,8x14d,32x4d,32x8d}       ResNeXt-101 ablation and torchvision's 32x8d
 * squeezenet1_0 squeezenet1_1                            bypass=none|simple|complex
 * mobilenet_v1      width=1.0|0.75|0.5|0.25 res=224|192|160|128 act=relu6|relu conv=separable|full shallow=false|true
 * mobilenet_v2      width=1.0|0.35|0.5|0.75|1.3|1.4
 * shufflenet_v1     g=3|1|2|4|8 width=1.0|0.25|0.5|1.5|2.0 shuffle=true|false
 * shufflenet_v2_x0_5 shufflenet_v2_x1_0 shufflenet_v2_x1_5 shufflenet_v2_x2_0
 * </pre>
 * Every id also takes {@code classes=N} (default 1000; 10 for the CIFAR nets). The first value listed
 * is the default. Examples: {@code mobilenet_v1:width=0.5,res=160,act=relu}, {@code shufflenet_v1:g=8,width=0.5},
 * {@code densenet_bc_250_k24:classes=100}, {@code squeezenet1_0:bypass=complex}. {@code res} sets the
 * default input size; any size the net admits can be given instead ({@code bin/jcnn info NET --size S}).
 * Unknown ids, keys or values throw IllegalArgumentException listing the valid ones.
 *
 * <h2>Node names</h2>
 * Weighted nodes carry PyTorch state-dict module paths, so a torchvision state dict loads by name:
 * torchvision's own for densenet121/169/201, resnext50_32x4d, resnext101_32x8d, squeezenet1_0/1_1,
 * mobilenet_v2 and shufflenet_v2_*. Where torchvision has no model the same scheme is extended:
 * DenseNet-264, the CIFAR DenseNets and the other ResNeXt cardinalities use torchvision's DenseNet and
 * ResNet names; MobileNet v1 uses {@code features.i.j} (see {@link jcnn.models.MobileNetV1}); ShuffleNet v1
 * uses ResNet-style {@code stageS.i.conv1/bn1/conv2/bn2/conv3/bn3} (see {@link jcnn.models.ShuffleNetV1});
 * SqueezeNet's complex bypass adds {@code features.i.bypass}. BN and activations are explicit nodes;
 * dropout is the identity and has no node; every net ends in logits (no softmax).
 *
 * <h2>Weights</h2>
 * {@link jcnn.models.Init#init} gives deterministic random weights that keep activations O(1).
 */
package jcnn.models;
