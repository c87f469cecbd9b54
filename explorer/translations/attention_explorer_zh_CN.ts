<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttentionLayerPage</name>
    <message>
        <location filename="../pages/attention_layer.py" line="118" />
        <source>The attention layer (§2)</source>
        <translation>注意力层（§2）</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="120" />
        <source>A query &lt;span style='color:#d62728'&gt;q&lt;/span&gt; scores every input &lt;span style='color:#1f77b4'&gt;x&lt;sub&gt;i&lt;/sub&gt;&lt;/span&gt; with a similarity f&lt;sub&gt;att&lt;/sub&gt;; the softmax turns the scores into weights that sum to 1, and the output is the weighted sum of the values. &lt;i&gt;Drag the points; arrow width shows a&lt;sub&gt;i&lt;/sub&gt;. Tick “Project” to learn keys and values separately; open “Why scale?” to see why plain dot products saturate the softmax.&lt;/i&gt;</source>
        <translation>查询 &lt;span style='color:#d62728'&gt;q&lt;/span&gt; 用相似度函数 f&lt;sub&gt;att&lt;/sub&gt; 为每个输入 &lt;span style='color:#1f77b4'&gt;x&lt;sub&gt;i&lt;/sub&gt;&lt;/span&gt; 打分（对齐分数）；softmax 把分数变成和为 1 的注意力权重，输出是值的加权和。&lt;i&gt;拖动这些点；箭头宽度表示 a&lt;sub&gt;i&lt;/sub&gt;。勾选“投影”以分别学习键和值；打开“为何缩放？”查看为什么不缩放的点积会使 softmax 饱和。&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="142" />
        <source>+ input</source>
        <translation>+ 输入</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="143" />
        <source>− input</source>
        <translation>− 输入</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="144" />
        <source>+ query</source>
        <translation>+ 查询</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="145" />
        <source>− query</source>
        <translation>− 查询</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="146" />
        <source>Fit</source>
        <translation>适应</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="147" />
        <source>Fit the view to all points</source>
        <translation>缩放视图以显示所有点</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="164" />
        <source>&lt;span style='color:#1f77b4'&gt;●&lt;/span&gt; inputs x &amp;nbsp; &lt;span style='color:#d62728'&gt;■&lt;/span&gt; queries q &amp;nbsp; &lt;span style='color:#2ca02c'&gt;▲&lt;/span&gt; keys k &amp;nbsp; &lt;span style='color:#9467bd'&gt;◆&lt;/span&gt; values v &amp;nbsp; ★ outputs y &amp;nbsp; → arrow width ∝ a&lt;sub&gt;i&lt;/sub&gt; of the selected query</source>
        <translation>&lt;span style='color:#1f77b4'&gt;●&lt;/span&gt; 输入 x &amp;nbsp; &lt;span style='color:#d62728'&gt;■&lt;/span&gt; 查询 q &amp;nbsp; &lt;span style='color:#2ca02c'&gt;▲&lt;/span&gt; 键 k &amp;nbsp; &lt;span style='color:#9467bd'&gt;◆&lt;/span&gt; 值 v &amp;nbsp; ★ 输出 y &amp;nbsp; → 箭头宽度 ∝ 所选查询的 a&lt;sub&gt;i&lt;/sub&gt;</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="182" />
        <source>The similarity f_att that scores the query against each key</source>
        <translation>为查询与每个键打分的相似度函数 f_att</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="185" />
        <source>The chosen similarity's formula</source>
        <translation>所选相似度的公式</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="191" />
        <source>Temperature τ: smaller τ, sharper weights</source>
        <translation>温度 τ：τ 越小，权重越尖锐</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="192" />
        <source>Change temperature</source>
        <translation>修改温度</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="193" />
        <source>Re-roll f_att weights</source>
        <translation>重新随机 f_att 参数</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="194" />
        <source>New seeded random parameters for the learned similarity (W, or W_q, W_k, v)</source>
        <translation>为可学习的相似度生成新的随机参数（W，或 W_q、W_k、v）</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="195" />
        <source>Re-roll similarity weights</source>
        <translation>重新随机相似度参数</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="200" />
        <source>Similarity f_att(q, k)</source>
        <translation>相似度 f_att(q, k)</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="205" />
        <source>Project: k = x W_K, v = x W_V, q W_Q</source>
        <translation>投影：k = x W_K，v = x W_V，q W_Q</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="206" />
        <source>Learned projections: keys and values become different vectors made from each input</source>
        <translation>可学习的投影：键和值成为由每个输入生成的不同向量</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="207" />
        <source>Toggle projections</source>
        <translation>切换投影</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="210" />
        <source>Edit {0}</source>
        <translation>编辑 {0}</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="211" />
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="212" />
        <source>Seeded random W_Q, W_K, W_V</source>
        <translation>按种子随机生成 W_Q、W_K、W_V</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="222" />
        <source>Keys and values</source>
        <translation>键和值</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="227" />
        <source>Inputs x (blue, draggable), queries q (red, draggable), keys k and values v (when projected), outputs y = Σ a_i v_i (stars)</source>
        <translation>输入 x（蓝色，可拖动），查询 q（红色，可拖动），键 k 和值 v（投影时），输出 y = Σ a_i v_i（星形）</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="229" />
        <source>e and a</source>
        <translation>e 与 a</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="230" />
        <source>weights a (queries × inputs)</source>
        <translation>权重 a（查询 × 输入）</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="232" />
        <source>Weights a_ij of query i over input j; each row sums to 1. Click a row to select the query.</source>
        <translation>查询 i 对输入 j 的权重 a_ij；每行和为 1。点击一行选择该查询。</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="233" />
        <source>Matrix</source>
        <translation>矩阵</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="234" />
        <source>Why scale?</source>
        <translation>为何缩放？</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="235" />
        <source>As text</source>
        <translation>文本形式</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="257" />
        <source>scores e</source>
        <translation>得分 e</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="258" />
        <source>weights a = softmax(e)</source>
        <translation>权重 a = softmax(e)</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="259" />
        <source>Alignment scores e_i = f_att(q, k_i): how well the selected query matches each key</source>
        <translation>对齐分数 e_i = f_att(q, k_i)：所选查询与每个键的匹配程度</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="260" />
        <source>Attention weights a = softmax(e): non-negative, sum to 1</source>
        <translation>注意力权重 a = softmax(e)：非负，和为 1</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="261" />
        <source>key k</source>
        <translation>键 k</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="261" />
        <source>value v</source>
        <translation>值 v</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="262" />
        <source>Per input: its key, its value, the score e_i, the weight a_i and its contribution a_i·v_i to y</source>
        <translation>每个输入：它的键、值、得分 e_i、权重 a_i 以及它对 y 的贡献 a_i·v_i</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="264" />
        <source>The selected query's output y = Σ_i a_i v_i</source>
        <translation>所选查询的输出 y = Σ_i a_i v_i</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="267" />
        <source>Query:</source>
        <translation>查询：</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="286" />
        <source>N: how many keys each trial scores</source>
        <translation>N：每次试验打分的键的个数</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="290" />
        <source> trials</source>
        <translation> 次试验</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="291" />
        <source>Measure</source>
        <translation>测量</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="301" />
        <source>max a</source>
        <translation>max a</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="301" />
        <source>entropy of a (nats)</source>
        <translation>a 的熵（奈特）</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="314" />
        <source>Against the dimension D (log scale): the largest weight, the entropy of a and the gradient norm, for q·k (plain) and q·k/√D (scaled)</source>
        <translation>随维度 D 的变化（对数坐标）：最大权重、a 的熵和梯度范数，分别对 q·k（不缩放）和 q·k/√D（缩放）</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="315" />
        <source>Press Measure (or open this tab) to run the experiment.</source>
        <translation>按“测量”（或打开此标签页）运行实验。</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="317" />
        <source>Random q and keys k ~ N(0, I) in D = 2…1024: how peaked is a = softmax(e), and how large is its gradient?</source>
        <translation>随机的 q 和键 k ~ N(0, I)，D = 2…1024：a = softmax(e) 有多尖锐，它的梯度有多大？</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="334" />
        <source>Inputs x (one per line)</source>
        <translation>输入 x（每行一个）</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="334" />
        <source>Queries q</source>
        <translation>查询 q</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="346" />
        <source>Move {0}</source>
        <translation>移动 {0}</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="362" />
        <source>At least one input is needed: attention over nothing is undefined.</source>
        <translation>至少需要一个输入：对空集合的注意力没有定义。</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="362" />
        <source>At least one query is needed: attention over nothing is undefined.</source>
        <translation>至少需要一个查询：没有查询就没有注意力。</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="366" />
        <source>At most {0} inputs on this page.</source>
        <translation>本页最多 {0} 个输入。</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="366" />
        <source>At most {0} queries on this page.</source>
        <translation>本页最多 {0} 个查询。</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="372" />
        <source>Add input</source>
        <translation>添加输入</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="372" />
        <source>Add query</source>
        <translation>添加查询</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="375" />
        <source>Remove input</source>
        <translation>删除输入</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="375" />
        <source>Remove query</source>
        <translation>删除查询</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="378" />
        <source>Type inputs</source>
        <translation>键入输入</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="378" />
        <source>Type queries</source>
        <translation>键入查询</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="382" />
        <source>Choose similarity</source>
        <translation>选择相似度</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="388" />
        <source>Random W_Q, W_K, W_V</source>
        <translation>随机 W_Q、W_K、W_V</translation>
    </message>
    <message>
        <location filename="../pages/attention_layer.py" line="528" />
        <source>At D = {0} with N = {1} keys: plain q·k gives max a = {2:.2f}, ‖∂a/∂e‖ = {3:.3f} (the softmax saturates, gradients vanish); q·k/√D keeps max a = {4:.2f}, ‖∂a/∂e‖ = {5:.3f}. Uniform attention would have entropy log N = {6:.2f}.</source>
        <translation>在 D = {0}、N = {1} 个键时：不缩放的 q·k 给出 max a = {2:.2f}，‖∂a/∂e‖ = {3:.3f}（softmax 饱和，梯度消失）；q·k/√D 保持 max a = {4:.2f}，‖∂a/∂e‖ = {5:.3f}。均匀注意力的熵为 log N = {6:.2f}。</translation>
    </message>
</context>
<context>
    <name>BeamTree</name>
    <message>
        <location filename="../widgets/beam_tree.py" line="46" />
        <source>step t</source>
        <translation>步 t</translation>
    </message>
    <message>
        <location filename="../widgets/beam_tree.py" line="47" />
        <source>place in the beam</source>
        <translation>在束中的名次</translation>
    </message>
    <message>
        <location filename="../widgets/beam_tree.py" line="98" />
        <source>{0} hypotheses kept over {1} steps; red: the selected branch — click a node</source>
        <translation>{1} 步中保留了 {0} 个假设；红色：所选分支 — 点击一个节点</translation>
    </message>
</context>
<context>
    <name>CheckpointsPage</name>
    <message>
        <location filename="../pages/checkpoints.py" line="377" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="350" />
        <location filename="../pages/checkpoints.py" line="416" />
        <source>No checkpoint open.</source>
        <translation>尚未打开检查点。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="67" />
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="68" />
        <source>shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="69" />
        <source>dtype</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="70" />
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="71" />
        <source>mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="72" />
        <source>std</source>
        <translation>标准差</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="73" />
        <source>min</source>
        <translation>最小值</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="74" />
        <source>max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="75" />
        <source>NaN</source>
        <translation>NaN</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="76" />
        <source>Inf</source>
        <translation>Inf</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="79" />
        <source>The tensor's name, grouped by module path (a row with children is a module: its parameter count and bytes are the sum of its tensors)</source>
        <translation>张量的名称，按模块路径分组（有子行的行是一个模块：它的参数数和字节数是其中各张量之和）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="80" />
        <source>The tensor's shape, e.g. 768×3072 (a module row: its parameter count)</source>
        <translation>张量的形状，例如 768×3072（模块行：它的参数数）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="81" />
        <source>The element type stored in the file, e.g. float32, float16, bfloat16</source>
        <translation>文件中存储的元素类型，例如 float32、float16、bfloat16</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="82" />
        <source>Memory the tensor takes: number of elements × bytes per element</source>
        <translation>张量占用的内存：元素个数 × 每个元素的字节数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="83" />
        <source>Mean of the tensor's finite values</source>
        <translation>张量中有限值的均值</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="84" />
        <source>Standard deviation of the tensor's finite values</source>
        <translation>张量中有限值的标准差</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="85" />
        <source>Smallest finite value</source>
        <translation>最小的有限值</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="86" />
        <source>Largest finite value</source>
        <translation>最大的有限值</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="87" />
        <source>How many values are NaN (not a number): a sign of a broken training run or file</source>
        <translation>NaN（非数）值的个数：出现它说明训练出了问题或文件已损坏</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="88" />
        <source>How many values are +∞ or −∞</source>
        <translation>+∞ 或 −∞ 值的个数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="132" />
        <source>summarising {name}</source>
        <translation>正在统计 {name}</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="133" />
        <source>recognising the model</source>
        <translation>正在识别模型</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="305" />
        <source>Checkpoints</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="307" />
        <source>Open a model trained elsewhere — .pt / .pth / .bin, .safetensors or a Hugging Face folder — or drop it here. Nothing in the file is ever run: torch files are read with the weights-only unpickler, and a file that wants code is refused with the names of what it asked for. The Model tab says which model the weights are; a ViT's config, inferred from the tensor shapes, can be corrected there (guesses are marked) before it is run.</source>
        <translation>打开在别处训练的模型——.pt / .pth / .bin、.safetensors 或 Hugging Face 文件夹——或把它拖放到这里。文件中的任何代码都不会被执行：torch 文件用只读权重（weights-only）的反序列化器读取，要求执行代码的文件会被拒绝，并列出它所要求的名称。“模型”标签页说明这些参数属于哪种模型；ViT 的配置由张量形状推断而来，运行前可以在那里修改（推测的值会标出）。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="313" />
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="314" />
        <source>Open a checkpoint file: .pt, .pth, .bin, .ckpt or .safetensors</source>
        <translation>打开一个检查点文件：.pt、.pth、.bin、.ckpt 或 .safetensors</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="316" />
        <source>Open folder…</source>
        <translation>打开文件夹…</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="317" />
        <source>Open a Hugging Face save_pretrained folder (config.json beside the weights)</source>
        <translation>打开 Hugging Face 的 save_pretrained 文件夹（config.json 与参数文件放在一起）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="321" />
        <source>Checkpoints opened recently (the same list as File → Recent checkpoints); choose one to open it again</source>
        <translation>最近打开的检查点（与“文件 → 最近的检查点”是同一个列表）；选择一个即可重新打开</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="325" />
        <source>Reading the file, summarising every tensor, then recognising the model</source>
        <translation>读取文件、统计每个张量，然后识别模型</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="326" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="327" />
        <source>Stop opening; the checkpoint shown now stays</source>
        <translation>停止打开；当前显示的检查点保持不变</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="335" />
        <source>Recent:</source>
        <translation>最近：</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="353" />
        <source>The file: its format, how many tensors, parameters (the elements of every tensor) and bytes, the dtypes, any NaN / Inf values, and the model the weights are</source>
        <translation>文件概况：格式、张量个数、参数个数（所有张量的元素总数）和字节数、数据类型、NaN / Inf 值（如有），以及这些参数属于哪种模型</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="356" />
        <source>filter tensors by name, e.g. attn or blocks.3</source>
        <translation>按名称筛选张量，例如 attn 或 blocks.3</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="378" />
        <source>histogram of the selected tensor</source>
        <translation>所选张量的直方图</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="381" />
        <location filename="../pages/checkpoints.py" line="396" />
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="382" />
        <source>count</source>
        <translation>个数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="385" />
        <source>How many of the tensor's finite values fall in each bin (at most 1M values, drawn at random, for a larger tensor)</source>
        <translation>张量的有限值落在每个区间中的个数（更大的张量随机抽取至多 100 万个值）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="387" />
        <source>Select a tensor in the tree.</source>
        <translation>请在树中选择一个张量。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="389" />
        <source>The selected tensor's shape, dtype, mean, standard deviation and range of its finite values</source>
        <translation>所选张量的形状、数据类型，以及其有限值的均值、标准差和范围</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="395" />
        <source>Histogram</source>
        <translation>直方图</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="397" />
        <source>The file's own metadata (key → value), as stored: safetensors' header, or the entries beside the weights</source>
        <translation>文件自带的元数据（键 → 值），按原样显示：safetensors 的文件头，或与参数一起保存的条目</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="398" />
        <source>Metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="401" />
        <source>The config.json of a Hugging Face folder, as written</source>
        <translation>Hugging Face 文件夹中的 config.json，按原样显示</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="421" />
        <source>The model's shape as the weights give it: blocks (layers), heads, tokens, patches and classes</source>
        <translation>由参数得出的模型结构：块（层）数、头数、词元数、图像块数和类别数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="422" />
        <source>Open in ViT page</source>
        <translation>在 ViT 页面中打开</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="423" />
        <source>Run this model on your images, with every attention map and the rollout</source>
        <translation>在你的图像上运行此模型，查看每个注意力图和注意力展开（rollout）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="425" />
        <source>Open on the Text page</source>
        <translation>在文本页面中打开</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="426" />
        <source>Type text and see every head's attention on the Text page</source>
        <translation>在文本页面中输入文本，查看每个头的注意力</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="428" />
        <source>Reset to the inferred config</source>
        <translation>恢复为推断出的配置</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="429" />
        <source>Forget the fields you set and use the config inferred from the weights</source>
        <translation>丢弃你设置的字段，改用从参数推断出的配置</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="442" />
        <source>What was read from the weights, what was guessed, and notes from the conversion</source>
        <translation>哪些是从参数读出的、哪些是推测的，以及转换时的说明</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="459" />
        <source>Open checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="459" />
        <source>Checkpoints (*.pt *.pth *.bin *.ckpt *.safetensors);;All files (*)</source>
        <translation>检查点 (*.pt *.pth *.bin *.ckpt *.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="464" />
        <source>Open Hugging Face folder</source>
        <translation>打开 Hugging Face 文件夹</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="481" />
        <source>Opening cancelled; the previous checkpoint is still shown.</source>
        <translation>已取消打开；仍显示之前的检查点。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="485" />
        <source>Opening {path} …</source>
        <translation>正在打开 {path} …</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="504" />
        <source>Could not open: {problem}</source>
        <translation>无法打开：{problem}</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="523" />
        <source>{0} tensors</source>
        <translation>{0} 个张量</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="524" />
        <source>{0} parameters</source>
        <translation>{0} 个参数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="529" />
        <source>{0} NaN, {1} Inf values</source>
        <translation>{0} 个 NaN 值，{1} 个 Inf 值</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="542" />
        <source>(no config.json: a single file)</source>
        <translation>（没有 config.json：单个文件）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="551" />
        <source>not a model this app recognises</source>
        <translation>不是本应用能识别的模型</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="553" />
        <source>{title} (cannot be run)</source>
        <translation>{title}（无法运行）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="570" />
        <source>None of the layouts this app knows is in these weights. It looked for:</source>
        <translation>这些权重不属于本应用已知的任何布局。查找过：</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="572" />
        <source>This file's first keys: {keys}</source>
        <translation>此文件的前几个键：{keys}</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="576" />
        <source>The tensors can still be browsed on the left.</source>
        <translation>仍可在左侧浏览这些张量。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="582" />
        <source>A text model: {layers} layers × {heads} heads, D = {dim}, read from config.json. Open it on the Text page to type text and see its heads.</source>
        <translation>文本模型：{layers} 层 × {heads} 个头，D = {dim}，读自 config.json。请在文本页面中打开它，输入文本并查看各个头。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="590" />
        <source>{depth} blocks × {heads} heads · {tokens} tokens: {prefix} + {grid}×{grid} patches · {classes}</source>
        <translation>{depth} 个块 × {heads} 个头 · {tokens} 个词元：{prefix} + {grid}×{grid} 个图像块 · {classes}</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="591" />
        <source>no prefix token</source>
        <translation>无前缀词元</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="592" />
        <source>{n} classes</source>
        <translation>{n} 个类别</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="592" />
        <source>no classification head</source>
        <translation>无分类头</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="598" />
        <source>Read from the weights: q/k norm {qk}, final norm {norm}, input normalisation mean {mean}, std {std}.</source>
        <translation>读自权重：q/k 归一化 {qk}，最终归一化 {norm}，输入归一化均值 {mean}，标准差 {std}。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="599" />
        <source>yes</source>
        <translation>有</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="599" />
        <source>no</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="603" />
        <source>Guessed, not stored in the file: check the marked fields, or set them.</source>
        <translation>以下为推测值，文件中并未存储：请检查标出的字段，或自行设置。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="630" />
        <source>{problem} — the model keeps {field} = {value}.</source>
        <translation>{problem} —— 模型保留 {field} = {value}。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="659" />
        <source>{n} recent</source>
        <translation>最近 {n} 个</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="683" />
        <location filename="../pages/checkpoints.py" line="774" />
        <source>scalar</source>
        <translation>标量</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="683" />
        <source>{0} params</source>
        <translation>{0} 个参数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="768" />
        <source>{0}: no finite values to draw.</source>
        <translation>{0}：没有可绘制的有限值。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="773" />
        <source>{0}: {1} {2}, mean {3}, std {4}, range [{5}, {6}].</source>
        <translation>{0}：{1} {2}，均值 {3}，标准差 {4}，范围 [{5}, {6}]。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="777" />
        <source>(drawn from a random sample of 1M values)</source>
        <translation>（根据随机抽取的 100 万个值绘制）</translation>
    </message>
</context>
<context>
    <name>ConfigForm</name>
    <message>
        <location filename="../pages/checkpoints.py" line="161" />
        <source>image size (px)</source>
        <translation>图像尺寸（像素）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="162" />
        <source>patch size P</source>
        <translation>图像块大小 P</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="163" />
        <source>token size D</source>
        <translation>词元维度 D</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="164" />
        <source>blocks</source>
        <translation>块数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="165" />
        <source>heads H</source>
        <translation>头数 H</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="166" />
        <source>MLP size</source>
        <translation>MLP 大小</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="167" />
        <source>classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="168" />
        <source>register tokens</source>
        <translation>寄存器词元</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="169" />
        <source>LayerNorm ε</source>
        <translation>LayerNorm ε</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="170" />
        <source>activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="171" />
        <source>pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="175" />
        <source>The side of the square input image, in pixels</source>
        <translation>正方形输入图像的边长，单位为像素</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="176" />
        <source>The side P of each square patch, in pixels: the image is cut into (image size / P)² patches</source>
        <translation>每个正方形图像块的边长 P（像素）：图像被切成 (图像尺寸 / P)² 个图像块</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="177" />
        <source>The size D of every token vector (the embedding dimension)</source>
        <translation>每个词元向量的维度 D（嵌入维度）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="178" />
        <source>The number of encoder blocks (layers)</source>
        <translation>编码器块（层）的个数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="179" />
        <source>The number H of attention heads per block; D must be divisible by H</source>
        <translation>每个块中注意力头的个数 H；D 必须能被 H 整除</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="180" />
        <source>The hidden size of each block's MLP</source>
        <translation>每个块中 MLP 的隐藏层大小</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="181" />
        <source>The number of classes of the classification head (0: no head)</source>
        <translation>分类头的类别数（0：没有分类头）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="182" />
        <source>Extra learned tokens after the CLS token that hold no patch</source>
        <translation>CLS 词元之后额外学习的词元，不对应任何图像块</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="183" />
        <source>The small ε LayerNorm adds to the variance before dividing by its square root</source>
        <translation>LayerNorm 在除以方差的平方根之前给方差加上的小常数 ε</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="184" />
        <source>The nonlinearity inside each MLP</source>
        <translation>每个 MLP 中的非线性激活函数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="185" />
        <source>What the classification head reads: the CLS token, or the mean of the patch tokens</source>
        <translation>分类头读取的内容：CLS 词元，或各图像块词元的均值</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="190" />
        <source>CLS token (token)</source>
        <translation>CLS 词元 (token)</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="191" />
        <source>mean of patches (avg)</source>
        <translation>图像块均值 (avg)</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="241" />
        <source>{meaning}&lt;br&gt;Command line: &lt;code&gt;inspect --set {name}=…&lt;/code&gt;</source>
        <translation>{meaning}&lt;br&gt;命令行：&lt;code&gt;inspect --set {name}=…&lt;/code&gt;</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="267" />
        <source>guessed: {why}</source>
        <translation>推测：{why}</translation>
    </message>
</context>
<context>
    <name>ExplanationPanel</name>
    <message>
        <location filename="../widgets/explanation.py" line="40" />
        <source>Explain</source>
        <translation>解释</translation>
    </message>
    <message>
        <location filename="../widgets/explanation.py" line="40" />
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <location filename="../widgets/explanation.py" line="41" />
        <source>Show or hide the explanation</source>
        <translation>显示或隐藏解释</translation>
    </message>
</context>
<context>
    <name>HeadView</name>
    <message>
        <location filename="../widgets/head_view.py" line="244" />
        <source>strongest: {0}, head {1}, a = {2:.2f}</source>
        <translation>最强：{0}，第 {1} 个头，a = {2:.2f}</translation>
    </message>
    <message>
        <location filename="../widgets/head_view.py" line="312" />
        <source>query</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../widgets/head_view.py" line="313" />
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../widgets/head_view.py" line="319" />
        <source>no tokens</source>
        <translation>没有词元</translation>
    </message>
</context>
<context>
    <name>Heatmap</name>
    <message>
        <location filename="../widgets/heatmap.py" line="33" />
        <source>query</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="34" />
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="35" />
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="36" />
        <source>dim</source>
        <translation>维度</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="37" />
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="38" />
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="39" />
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="40" />
        <source>dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="41" />
        <source>vector</source>
        <translation>向量</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="42" />
        <source>head</source>
        <translation>头</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="140" />
        <source>−∞ (masked)</source>
        <translation>−∞（已掩码）</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="624" />
        <source>colours: 0 to 1</source>
        <translation>颜色：0 到 1</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="624" />
        <source>Colour the values on the fixed range again ({0} to {1})</source>
        <translation>重新按固定范围（{0} 到 {1}）着色</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="626" />
        <source>fit colours</source>
        <translation>颜色适配数值</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="626" />
        <source>Colour from 0 to the 99th percentile of the values instead of the fixed range (the largest 1 % share the top colour): small weights (many tokens) become visible</source>
        <translation>按 0 到数值的第 99 百分位着色，而不是固定范围（最大的 1% 共用最高的颜色）：很小的权重（词元很多时）也能看清</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="637" />
        <source>Fit the colour range to the values</source>
        <translation>颜色范围适配数值</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap.py" line="711" />
        <source>{0} {1} × {2} {3} — hover a cell for its value</source>
        <translation>{0} 个{1} × {2} 个{3} — 悬停单元格查看数值</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="154" />
        <source>Loading the attention core (torch)…</source>
        <translation>正在加载注意力内核（torch）…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="172" />
        <source>Core: loading…</source>
        <translation>内核：加载中…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="201" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="202" />
        <source>Open &amp;session…</source>
        <translation>打开会话(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="204" />
        <source>&amp;Save session…</source>
        <translation>保存会话(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="208" />
        <source>&amp;Open checkpoint…</source>
        <translation>打开检查点(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="211" />
        <source>Recent &amp;checkpoints</source>
        <translation>最近的检查点(&amp;C)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="214" />
        <source>&amp;Export current view</source>
        <translation>导出当前视图(&amp;E)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="216" />
        <source>View as &amp;PNG…</source>
        <translation>视图为 &amp;PNG…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="216" />
        <source>View as &amp;SVG…</source>
        <translation>视图为 &amp;SVG…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="216" />
        <source>Data as &amp;CSV…</source>
        <translation>数据为 &amp;CSV…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="216" />
        <source>Data as &amp;NPZ…</source>
        <translation>数据为 &amp;NPZ…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="221" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="225" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="226" />
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="228" />
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="234" />
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="238" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="239" />
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="243" />
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="250" />
        <source>&amp;Light theme</source>
        <translation>浅色主题(&amp;L)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="250" />
        <source>&amp;Dark theme</source>
        <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="257" />
        <source>&amp;Colormap for weights</source>
        <translation>权重的色图(&amp;C)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="258" />
        <source>Colormap for &amp;signed values</source>
        <translation>有符号数值的色图(&amp;S)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="268" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="269" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="271" />
        <source>Attention Explorer: build, see and inspect attention, computed live by a torch core.</source>
        <translation>注意力探索器：构建、观察并检查注意力，一切由 torch 内核实时计算。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="289" />
        <location filename="../main_window.py" line="374" />
        <source>Core: {where}</source>
        <translation>内核：{where}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="301" />
        <source>Core: unavailable</source>
        <translation>内核：不可用</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="302" />
        <source>The core could not be loaded: {message}
Reinstall with `make run`.</source>
        <translation>无法加载内核：{message}
请用 `make run` 重新安装。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="173" />
        <location filename="../main_window.py" line="398" />
        <source>recomputed in {ms} ms</source>
        <translation>重新计算用时 {ms} 毫秒</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="414" />
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="414" />
        <location filename="../main_window.py" line="429" />
        <source>Sessions (*.json)</source>
        <translation>会话 (*.json)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="420" />
        <source>Save failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="422" />
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="429" />
        <location filename="../main_window.py" line="456" />
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="435" />
        <source>Could not open the session</source>
        <translation>无法打开会话</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="471" />
        <source>Autosave failed: {error}</source>
        <translation>自动保存失败：{error}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="492" />
        <source>Restore your work?</source>
        <translation>恢复你的工作？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="492" />
        <source>Attention Explorer did not close normally last time.</source>
        <translation>注意力探索器上次没有正常关闭。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="493" />
        <source>Restore every page as it was when it was last changed?</source>
        <translation>把每个页面恢复到最后一次修改时的状态吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="516" />
        <source>Clear the list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="517" />
        <source>Forget the recently opened checkpoints (the files themselves stay)</source>
        <translation>清空最近打开的检查点列表（文件本身保留）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="544" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="553" />
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="555" />
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
</context>
<context>
    <name>MaskControls</name>
    <message>
        <location filename="../pages/common.py" line="218" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="219" />
        <source>causal</source>
        <translation>因果</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="220" />
        <source>padding (last k)</source>
        <translation>填充（最后 k 个）</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="221" />
        <source>local window w</source>
        <translation>局部窗口 w</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="222" />
        <source>random sparse p</source>
        <translation>随机稀疏 p</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="223" />
        <source>block-diagonal</source>
        <translation>块对角</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="232" />
        <source>Which (query, key) pairs are blocked before the softmax; paint on a grid to change single cells</source>
        <translation>哪些（查询，键）对在 softmax 之前被屏蔽；在网格上绘制可修改单个单元格</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="245" />
        <source>segment lengths, e.g. 3, 4</source>
        <translation>片段长度，例如 3, 4</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="248" />
        <source>Clear painting</source>
        <translation>清除绘制</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="255" />
        <source>Mask:</source>
        <translation>掩码：</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="277" />
        <source>segment lengths must be positive whole numbers</source>
        <translation>片段长度必须是正整数</translation>
    </message>
</context>
<context>
    <name>MaskedPage</name>
    <message>
        <location filename="../pages/masked.py" line="109" />
        <source>Masked self-attention (§4)</source>
        <translation>掩码自注意力（§4）</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="111" />
        <source>Where a query may not look (the future, padding, another segment), its score is set to −∞ before the softmax: the weight becomes exactly 0 and the rest of the row renormalises. &lt;i&gt;Click or drag on a grid to paint (or erase) masked cells; the causal check measures that no earlier output moves when a later token changes.&lt;/i&gt;</source>
        <translation>查询不允许看的位置（未来、填充、另一个片段）在 softmax 之前把得分设为 −∞：权重恰好变为 0，该行其余部分重新归一化。&lt;i&gt;在网格上点击或拖动来绘制（或擦除）掩码单元格；因果检查验证：后面的词元改变时，前面的输出都不会变。&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="115" />
        <source>e′&lt;sub&gt;ij&lt;/sub&gt; = e&lt;sub&gt;ij&lt;/sub&gt; if query i may see key j, else −∞ &amp;nbsp;&amp;nbsp; a&lt;sub&gt;i&lt;/sub&gt; = softmax(e′&lt;sub&gt;i&lt;/sub&gt;)</source>
        <translation>e′&lt;sub&gt;ij&lt;/sub&gt; = e&lt;sub&gt;ij&lt;/sub&gt;（若查询 i 可以看键 j），否则为 −∞ &amp;nbsp;&amp;nbsp; a&lt;sub&gt;i&lt;/sub&gt; = softmax(e′&lt;sub&gt;i&lt;/sub&gt;)</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="118" />
        <source>Edit tokens</source>
        <translation>编辑词元</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="119" />
        <source>Change D</source>
        <translation>修改 D</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="120" />
        <source>Re-roll</source>
        <translation>重新随机</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="121" />
        <source>Choose embeddings</source>
        <translation>选择嵌入</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="123" />
        <source>Change mask</source>
        <translation>修改掩码</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="131" />
        <source>masked scores (grey = −∞)</source>
        <translation>掩码后的得分（灰色 = −∞）</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="132" />
        <source>weights a = softmax</source>
        <translation>权重 a = softmax</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="130" />
        <source>scores e = q·k/√D_Q</source>
        <translation>得分 e = q·k/√D_Q</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="133" />
        <source>Raw scores e_ij = q_i·k_j/√D_Q before masking</source>
        <translation>掩码前的原始得分 e_ij = q_i·k_j/√D_Q</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="134" />
        <source>Scores after masking: grey cells are −∞, outside the colour scale</source>
        <translation>掩码后的得分：灰色单元格为 −∞，在色标之外</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="135" />
        <source>Weights a = softmax of the masked scores: masked cells are exactly 0, rows sum to 1 (∅: a row that sees nothing)</source>
        <translation>权重 a = 掩码后得分的 softmax：被掩码的单元格恰好为 0，每行和为 1（∅：什么也看不到的行）</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="140" />
        <source>That press was outside the grid: nothing was painted.</source>
        <translation>这次按下在网格之外：什么也没有绘制。</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="153" />
        <source>Causal check: replace a later token and measure every output's change</source>
        <translation>因果检查：替换一个靠后的词元，测量每个输出的变化</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="157" />
        <source>position </source>
        <translation>位置 </translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="159" />
        <source>Choose probe position</source>
        <translation>选择探测位置</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="162" />
        <source>The token put in its place (one token)</source>
        <translation>放在该位置的词元（一个词元）</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="164" />
        <source>max |Δy_i| per position</source>
        <translation>每个位置的 max |Δy_i|</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="165" />
        <source>How far each output y_i moved when the chosen token was replaced</source>
        <translation>替换所选词元后每个输出 y_i 的变化量</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="169" />
        <source>Replace</source>
        <translation>把</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="171" />
        <source>by</source>
        <translation>替换为</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="205" />
        <source>Paint mask</source>
        <translation>绘制掩码</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="205" />
        <source>Erase mask</source>
        <translation>擦除掩码</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="210" />
        <source>The replacement must be one token (no spaces).</source>
        <translation>替换内容必须是一个词元（不含空格）。</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="214" />
        <source>Change probe token</source>
        <translation>修改探测词元</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="253" />
        <source>⚠ 1 query may look at nothing ({0}): marked ∅, weights 0 and output 0 — never NaN.</source>
        <translation>⚠ 1 个查询什么也看不到（{0}）：标记为 ∅，权重为 0，输出为 0——绝不会是 NaN。</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="254" />
        <source>⚠ {1} queries may look at nothing ({0}): marked ∅, weights 0 and output 0 — never NaN.</source>
        <translation>⚠ {1} 个查询什么也看不到（{0}）：标记为 ∅，权重为 0，输出为 0——绝不会是 NaN。</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="258" />
        <source>Every row of a sums to 1; masked cells are exactly 0.</source>
        <translation>a 的每一行和为 1；被掩码的单元格恰好为 0。</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="270" />
        <source>Token {0} “{1}” → “{2}”: earlier positions change by at most {3}{4}; from position {0} on by up to {5}.</source>
        <translation>第 {0} 个词元“{1}”→“{2}”：之前的位置最多改变 {3}{4}；从位置 {0} 开始最多改变 {5}。</translation>
    </message>
    <message>
        <location filename="../pages/masked.py" line="272" />
        <source> (exactly 0: they cannot see it)</source>
        <translation>（恰好为 0：它们看不到它）</translation>
    </message>
</context>
<context>
    <name>MultiHeadPage</name>
    <message>
        <location filename="../pages/multi_head.py" line="225" />
        <source>Multi-head attention (§5)</source>
        <translation>多头注意力（§5）</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="227" />
        <source>H heads attend in parallel, each in its own D&lt;sub&gt;Q&lt;/sub&gt;-sized subspace, so each can look for something different; their outputs are concatenated and projected by W&lt;sub&gt;O&lt;/sub&gt;. &lt;i&gt;Untick a head to switch it off; paint on the average grid to mask every head.&lt;/i&gt;</source>
        <translation>H 个头并行计算注意力，每个头在自己的 D&lt;sub&gt;Q&lt;/sub&gt; 维子空间中，因此各自可以关注不同的东西；它们的输出被拼接起来，再经 W&lt;sub&gt;O&lt;/sub&gt; 投影。&lt;i&gt;取消勾选一个头即可关闭它；在平均网格上绘制可为所有头加掩码。&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="234" />
        <source>Edit tokens</source>
        <translation>编辑词元</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="236" />
        <source>Re-roll</source>
        <translation>重新随机</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="239" />
        <source>H: how many heads (a divisor of D)</source>
        <translation>H：头的个数（D 的约数）</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="240" />
        <source>Change H</source>
        <translation>修改 H</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="245" />
        <source>D_Q: each head's query/key size (D/H by default, as in nn.MultiheadAttention)</source>
        <translation>D_Q：每个头的查询/键维度（默认 D/H，与 nn.MultiheadAttention 一致）</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="246" />
        <source>Change D_Q</source>
        <translation>修改 D_Q</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="248" />
        <source>first head </source>
        <translation>起始头 </translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="249" />
        <source>The grid shows 16 heads at a time, from this one</source>
        <translation>网格一次显示 16 个头，从这个开始</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="252" />
        <source>Change mask</source>
        <translation>修改掩码</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="254" />
        <source>Heads H =</source>
        <translation>头数 H =</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="261" />
        <source>Each head's weights a (queries × keys), one map per head, on one scale (0 to 1, or fitted to them with the average's “fit colours”); H(a): the head's mean entropy in nats</source>
        <translation>每个头的权重 a（查询 × 键），每个头一张图，同一刻度（0 到 1，或用平均图的“颜色适配数值”适配到这些权重）；H(a)：该头的平均熵（奈特）</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="275" />
        <source>average over heads (paint to mask)</source>
        <translation>各头平均（绘制以加掩码）</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="277" />
        <source>Paint mask</source>
        <translation>绘制掩码</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="277" />
        <source>Erase mask</source>
        <translation>擦除掩码</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="278" />
        <source>That press was outside the grid: nothing was painted.</source>
        <translation>这次按下在网格之外：什么也没有绘制。</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="279" />
        <source>The weights averaged over heads (nn.MultiheadAttention's average_attn_weights); paint here to mask every head</source>
        <translation>对所有头取平均的权重（nn.MultiheadAttention 的 average_attn_weights）；在此绘制可为所有头加掩码</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="281" />
        <source>Average</source>
        <translation>平均</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="282" />
        <source>mean entropy of a per head (nats)</source>
        <translation>每个头 a 的平均熵（奈特）</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="283" />
        <source>Entropy of each head's attention rows, averaged over queries: low = focused, log N = uniform</source>
        <translation>每个头注意力行的熵，对查询取平均：低 = 集中，log N = 均匀</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="284" />
        <source>Entropy</source>
        <translation>熵</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="287" />
        <source>concat of head outputs (tokens × H·D_V)</source>
        <translation>各头输出的拼接（词元 × H·D_V）</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="288" />
        <source>output Y = concat · W_Oᵀ + b (tokens × D)</source>
        <translation>输出 Y = concat · W_Oᵀ + b（词元 × D）</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="289" />
        <source>Every head's output side by side: head h fills columns h·D_V … (h+1)·D_V − 1</source>
        <translation>所有头的输出并排：第 h 个头占据第 h·D_V … (h+1)·D_V − 1 列</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="290" />
        <source>The layer's output: the concatenation projected by W_O</source>
        <translation>该层的输出：拼接结果经 W_O 投影</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="293" />
        <source>Concat → output</source>
        <translation>拼接 → 输出</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="296" />
        <source>‖y_all heads − y_with heads off‖ per token</source>
        <translation>每个词元的 ‖y_所有头 − y_关闭部分头‖</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="297" />
        <source>How far each token's output moves when the unticked heads are switched off</source>
        <translation>关闭未勾选的头后每个词元输出的变化量</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="302" />
        <source>Heads off</source>
        <translation>关闭头</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="336" />
        <source>H = {0} does not divide D = {1}; using H = {2}.</source>
        <translation>H = {0} 不能整除 D = {1}；改用 H = {2}。</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="338" />
        <source>Choose embeddings</source>
        <translation>选择嵌入</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="338" />
        <source>Change D</source>
        <translation>修改 D</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="348" />
        <source>Switch head {0} on</source>
        <translation>开启第 {0} 个头</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="348" />
        <source>Switch head {0} off</source>
        <translation>关闭第 {0} 个头</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="362" />
        <source>{0} — keeping the last valid setting.</source>
        <translation>{0} — 保留上一个有效设置。</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="396" />
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="435" />
        <source>hover a head's map for its weights</source>
        <translation>将鼠标悬停在某个头的图上查看其权重</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="444" />
        <source>head {0}: query “{1}” ({2}) → key “{3}” ({4}):  a = {5}</source>
        <translation>第 {0} 个头：查询“{1}”（{2}）→ 键“{3}”（{4}）：  a = {5}</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="446" />
        <source>head {0}: queries {1}–{2} → keys {3}–{4}:  mean a = {5}</source>
        <translation>第 {0} 个头：查询 {1}–{2} → 键 {3}–{4}：  平均 a = {5}</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="453" />
        <source>Same weights in torch.nn.MultiheadAttention: max |Δ output| = {0}</source>
        <translation>相同权重放入 torch.nn.MultiheadAttention：max |Δ 输出| = {0}</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="455" />
        <source>Parity with torch.nn.MultiheadAttention is checked when D_Q = D/H (its layout) and N ≤ 256.</source>
        <translation>当 D_Q = D/H（它的布局）且 N ≤ 256 时，与 torch.nn.MultiheadAttention 做一致性检查。</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="492" />
        <source>head {0} · H(a) = {1:.2f}</source>
        <translation>第 {0} 个头 · H(a) = {1:.2f}</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="500" />
        <source>head {0} on</source>
        <translation>第 {0} 个头 开</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="504" />
        <source>{0} heads × D_Q = {1}</source>
        <translation>{0} 个头 × D_Q = {1}</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="505" />
        <source>; showing heads {0}–{1} of {2}</source>
        <translation>；显示第 {0}–{1} 个头（共 {2} 个）</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="506" />
        <source>; off: {0}</source>
        <translation>；已关闭：{0}</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="527" />
        <source>All heads are on. Untick a head in the grid to see how much each token's output depends on it.</source>
        <translation>所有头都已开启。在网格中取消勾选一个头，看每个词元的输出在多大程度上依赖它。</translation>
    </message>
    <message>
        <location filename="../pages/multi_head.py" line="532" />
        <source>With head(s) {0} off, their slice of the concatenation is 0, so W_O receives nothing from them; bars show how far each token's output moved.</source>
        <translation>关闭第 {0} 个头后，它们在拼接结果中的部分为 0，W_O 从它们那里什么也得不到；柱状图显示每个词元输出的变化量。</translation>
    </message>
</context>
<context>
    <name>SelfAttentionPage</name>
    <message>
        <location filename="../pages/self_attention.py" line="36" />
        <source>no positional encoding</source>
        <translation>无位置编码</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="37" />
        <source>sinusoidal (added)</source>
        <translation>正弦（相加）</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="38" />
        <source>learned table (added)</source>
        <translation>可学习表（相加）</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="39" />
        <source>RoPE (rotates q, k)</source>
        <translation>RoPE（旋转 q、k）</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="109" />
        <source>Self-attention (§3)</source>
        <translation>自注意力（§3）</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="111" />
        <source>Queries, keys and values all come from the same inputs. Self-attention is permutation-equivariant: &lt;i&gt;drag tokens (or Shuffle)&lt;/i&gt; and the outputs only reorder with them — it sees a set, not a sequence — until a positional encoding tells positions apart.</source>
        <translation>查询、键和值都来自同一组输入。自注意力是置换等变的：&lt;i&gt;拖动词元（或打乱）&lt;/i&gt;，输出只是随之重排——它看到的是集合而不是序列——直到位置编码把各个位置区分开。</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="118" />
        <source>Edit tokens</source>
        <translation>编辑词元</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="119" />
        <source>Change D</source>
        <translation>修改 D</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="120" />
        <source>Re-roll</source>
        <translation>重新随机</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="121" />
        <source>Choose embeddings</source>
        <translation>选择嵌入</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="127" />
        <source>Choose positional encoding</source>
        <translation>选择位置编码</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="128" />
        <source>Shuffle</source>
        <translation>打乱</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="129" />
        <source>Apply a random permutation P to the tokens</source>
        <translation>对词元施加一个随机置换 P</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="131" />
        <source>Typed order</source>
        <translation>输入顺序</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="132" />
        <source>Undo the permutation: P = identity</source>
        <translation>撤销置换：P = 恒等置换</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="133" />
        <source>Restore typed order</source>
        <translation>恢复输入顺序</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="135" />
        <source>Positions:</source>
        <translation>位置：</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="163" />
        <source>The largest difference between attending to the permuted tokens and permuting the outputs: ≈1e-7 means equivariant</source>
        <translation>对置换后的词元做注意力与置换输出之间的最大差异：≈1e-7 表示等变</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="173" />
        <source>weights a (queries × keys) — click a row</source>
        <translation>权重 a（查询 × 键）— 点击一行</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="175" />
        <source>a_ij = softmax_j(q_i·k_j/√D_Q): how much token i (row) attends to token j (column)</source>
        <translation>a_ij = softmax_j(q_i·k_j/√D_Q)：词元 i（行）对词元 j（列）的注意力</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="176" />
        <source>Drag a token to reorder the inputs (a permutation P); click one to select it as the query</source>
        <translation>拖动词元以重排输入（置换 P）；点击一个词元把它选为查询</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="181" />
        <source>scores e of the selected query</source>
        <translation>所选查询的得分 e</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="182" />
        <source>weights a</source>
        <translation>权重 a</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="183" />
        <source>output y (D_V values)</source>
        <translation>输出 y（D_V 个值）</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="184" />
        <source>Scores e_j = q·k_j/√D_Q of the selected query against every key</source>
        <translation>所选查询与每个键的得分 e_j = q·k_j/√D_Q</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="185" />
        <source>Weights a = softmax(e): non-negative, sum to 1</source>
        <translation>权重 a = softmax(e)：非负，和为 1</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="186" />
        <source>The selected token's output y = Σ_j a_j v_j, one bar per dimension</source>
        <translation>所选词元的输出 y = Σ_j a_j v_j，每个维度一根柱</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="189" />
        <source>Query</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="195" />
        <source>{0}: one row per token, one column per dimension</source>
        <translation>{0}：每个词元一行，每个维度一列</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="198" />
        <source>Q, K, V, Y</source>
        <translation>Q、K、V、Y</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="204" />
        <source>Y(PX): attention of the reordered tokens</source>
        <translation>Y(PX)：重排后词元的注意力输出</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="205" />
        <source>P·Y(X): outputs of the typed order, reordered</source>
        <translation>P·Y(X)：按输入顺序计算的输出，再重排</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="216" />
        <source>Permutation</source>
        <translation>置换</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="219" />
        <source>positional encoding (positions × dims)</source>
        <translation>位置编码（位置 × 维度）</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="220" />
        <source>The position table: row p is what is added to (or, for RoPE, how q and k are rotated at) position p</source>
        <translation>位置表：第 p 行是加到位置 p 上的向量（对 RoPE 而言，是位置 p 处 q 和 k 的旋转）</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="225" />
        <source>Positions</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="256" />
        <source>Reorder tokens</source>
        <translation>重排词元</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="261" />
        <source>One token cannot be reordered: type at least two.</source>
        <translation>一个词元无法重排：请至少输入两个。</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="267" />
        <source>Shuffle tokens</source>
        <translation>打乱词元</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="311" />
        <source>equivariant: reordering the inputs only reordered the outputs — self-attention alone cannot see order.</source>
        <translation>等变：重排输入只会重排输出——仅靠自注意力看不到顺序。</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="313" />
        <source>not equivariant: with {0} the same token computes something different at another position.</source>
        <translation>不等变：使用{0}时，同一个词元在另一个位置会算出不同的结果。</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="316" />
        <source>P = identity (drag or shuffle tokens to permute). </source>
        <translation>P = 恒等置换（拖动或打乱词元来置换）。</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="338" />
        <source>scores e of query “{0}”</source>
        <translation>查询“{0}”的得分 e</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="356" />
        <source>Left: run self-attention on the reordered tokens. Middle: run it on the typed order, then reorder the outputs. Right: their difference, at most {0}. Without positional encodings this is rounding error (≈1e-7): attention sees a set, not a sequence. With an encoding each token's input depends on where it stands, so the two differ.</source>
        <translation>左：对重排后的词元做自注意力。中：按输入顺序做自注意力，再重排输出。右：两者之差，最大 {0}。没有位置编码时这只是舍入误差（≈1e-7）：注意力看到的是集合，而不是序列。有了位置编码，每个词元的输入取决于它所在的位置，所以两者不同。</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="366" />
        <source>No positional encoding: the inputs carry no information about where a token stands.</source>
        <translation>没有位置编码：输入不包含任何关于词元位置的信息。</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="371" />
        <source>PE[p, 2i] = sin(p/10000^(2i/D)), PE[p, 2i+1] = cos(…): each dimension pair is a clock of its own frequency; added to X.</source>
        <translation>PE[p, 2i] = sin(p/10000^(2i/D))，PE[p, 2i+1] = cos(…)：每对维度是一只频率各不相同的时钟；加到 X 上。</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="372" />
        <source>A table of vectors, one per position (seeded here, trained in a real model); added to X.</source>
        <translation>一张向量表，每个位置一个（这里用随机种子生成，真实模型中经训练得到）；加到 X 上。</translation>
    </message>
    <message>
        <location filename="../pages/self_attention.py" line="373" />
        <source>RoPE rotates each (q, k) dimension pair by the angle p·θ_i (shown: cos p·θ_i). Scores then depend on the offset between positions.</source>
        <translation>RoPE 把 (q, k) 的每对维度旋转角度 p·θ_i（图中为 cos p·θ_i）。于是得分取决于位置之间的相对偏移。</translation>
    </message>
</context>
<context>
    <name>Seq2SeqPage</name>
    <message>
        <location filename="../pages/seq2seq.py" line="68" />
        <source>One fixed vector c has to carry the whole input: as inputs grow, the decoder without attention loses them. With attention each step reads the states it needs, and accuracy holds.</source>
        <translation>一个固定的向量 c 必须承载整个输入：输入变长后，没有注意力的解码器就丢失了信息。有了注意力，每一步读取它需要的隐状态，准确率得以保持。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="73" />
        <source>Sorting needs counts, not positions: 26 letter counts fit in one vector c, so the fixed context copes here, and the attention model (trained as briefly) does worse. The bottleneck bites when positions matter: try reverse or copy.</source>
        <translation>排序需要的是计数而不是位置：26 个字母的计数装得进一个向量 c，所以固定上下文在这里够用，而（训练同样短的）注意力模型反而更差。当位置重要时瓶颈才显现：试试反转或复制。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="78" />
        <source>Dates have at most 18 characters: short enough for one vector c, so both decoders are near 100 %. The bottleneck bites on long inputs: try reverse or copy.</source>
        <translation>日期最多 18 个字符：短到一个向量 c 就能装下，所以两种解码器都接近 100%。瓶颈在长输入上才显现：试试反转或复制。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="110" />
        <source>test {0}</source>
        <translation>测试 {0}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="112" />
        <source>held-out {0}</source>
        <translation>留出集 {0}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="118" />
        <source>Bahdanau attention ({0})</source>
        <translation>Bahdanau 注意力（{0}）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="120" />
        <location filename="../pages/seq2seq.py" line="509" />
        <location filename="../pages/seq2seq.py" line="526" />
        <source>no attention (fixed c)</source>
        <translation>无注意力（固定 c）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="122" />
        <source>bundled</source>
        <translation>内置</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="123" />
        <source>≤ {0} chars</source>
        <translation>≤ {0} 个字符</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="249" />
        <source>The bundled model {0} cannot be read: {1}</source>
        <translation>无法读取内置模型 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="270" />
        <source>Seq2seq with RNNs (§1)</source>
        <translation>基于 RNN 的 Seq2seq（§1）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="272" />
        <source>An encoder GRU reads the input into states h&lt;sub&gt;i&lt;/sub&gt;; a decoder GRU writes the output one token at a time from its state s&lt;sub&gt;t&lt;/sub&gt;. Without attention every step reads one fixed context c — the whole input squeezed into one vector, a bottleneck. With Bahdanau attention step t scores s&lt;sub&gt;t−1&lt;/sub&gt; against every h&lt;sub&gt;i&lt;/sub&gt;, normalises the scores and reads its own context. &lt;i&gt;Step through a real trained model, click a weight bar to force the attention elsewhere, compare beam search, measure the bottleneck, train your own.&lt;/i&gt;</source>
        <translation>编码器 GRU 把输入读成隐状态 h&lt;sub&gt;i&lt;/sub&gt;；解码器 GRU 从它的状态 s&lt;sub&gt;t&lt;/sub&gt; 出发，一次输出一个词元。没有注意力时，每一步都读取同一个固定的上下文向量 c——整个输入被压缩进一个向量，形成瓶颈。使用 Bahdanau 注意力时，第 t 步用 s&lt;sub&gt;t−1&lt;/sub&gt; 与每个 h&lt;sub&gt;i&lt;/sub&gt; 计算对齐分数，归一化后读取属于自己的上下文向量。&lt;i&gt;逐步运行一个真实训练好的模型，点击权重条把注意力强制到别处，比较束搜索，测量瓶颈，训练你自己的模型。&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="287" />
        <source>The task the bundled models were trained on: the input and the output it should give</source>
        <translation>内置模型所训练的任务：输入及其应得的输出</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="292" />
        <source>The trained model that decodes: with Bahdanau attention or with one fixed context c</source>
        <translation>用于解码的训练好的模型：使用 Bahdanau 注意力，或使用一个固定的上下文向量 c</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="294" />
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="295" />
        <source>Load a seq2seq checkpoint (.safetensors) trained with `attention-explorer train seq2seq`</source>
        <translation>加载用 `attention-explorer train seq2seq` 训练的 seq2seq 检查点（.safetensors）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="298" />
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="300" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="305" />
        <source>type an input</source>
        <translation>输入内容</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="307" />
        <source>Example</source>
        <translation>示例</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="308" />
        <source>A random input of this task</source>
        <translation>此任务的一个随机输入</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="310" />
        <source>Step ▸</source>
        <translation>单步 ▸</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="311" />
        <source>One decoder step: score, weigh, read c_t, update s_t, emit y_t</source>
        <translation>解码一步：打分、加权、读取 c_t、更新 s_t、输出 y_t</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="312" />
        <source>Run ▸▸</source>
        <translation>运行 ▸▸</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="313" />
        <source>Decode to &lt;/s&gt;</source>
        <translation>解码直到 &lt;/s&gt;</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="314" />
        <source>◂ Back</source>
        <translation>◂ 后退</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="315" />
        <source>Undo the last decoder step</source>
        <translation>撤销上一个解码步</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="316" />
        <location filename="../pages/seq2seq.py" line="684" />
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="317" />
        <source>Back to before the first step</source>
        <translation>回到第一步之前</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="318" />
        <location filename="../pages/seq2seq.py" line="687" />
        <source>Clear forcing</source>
        <translation>清除强制</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="319" />
        <source>Let the model compute a_t again at every step</source>
        <translation>让模型在每一步重新计算 a_t</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="326" />
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="342" />
        <source>Step through</source>
        <translation>逐步解码</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="345" />
        <source>Beam search</source>
        <translation>束搜索</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="345" />
        <source>Bottleneck</source>
        <translation>瓶颈</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="345" />
        <location filename="../pages/seq2seq.py" line="556" />
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="390" />
        <source>encoder states h&lt;sub&gt;i&lt;/sub&gt;</source>
        <translation>编码器隐状态 h&lt;sub&gt;i&lt;/sub&gt;</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="392" />
        <source>scores e&lt;sub&gt;t,i&lt;/sub&gt;</source>
        <translation>得分 e&lt;sub&gt;t,i&lt;/sub&gt;</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="393" />
        <source>weights a&lt;sub&gt;t&lt;/sub&gt;</source>
        <translation>权重 a&lt;sub&gt;t&lt;/sub&gt;</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="395" />
        <location filename="../pages/seq2seq.py" line="896" />
        <location filename="../pages/seq2seq.py" line="899" />
        <source>attention a (outputs × inputs)</source>
        <translation>注意力 a（输出 × 输入）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="398" />
        <source>row t = a_t of step t: hover for values, click a row to see its step</source>
        <translation>第 t 行 = 第 t 步的 a_t：悬停查看数值，点击一行查看该步</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="400" />
        <source>not computed yet (press Step)</source>
        <translation>尚未计算（请按单步）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="409" />
        <source>h_i = [→h_i ; ←h_i], one column per input character. Click a column to put all of a_t there.</source>
        <translation>h_i = [→h_i ; ←h_i]，每个输入字符一列。点击一列把 a_t 全部放到那里。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="410" />
        <source>e_t,i = f_att(s_t−1, h_i): how well the decoder state before step t matches input i</source>
        <translation>e_t,i = f_att(s_t−1, h_i)：第 t 步之前的解码器状态与输入 i 的对齐程度</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="411" />
        <source>a_t = softmax(e_t): where step t reads. Click a bar to force all the weight there (“what if?”).</source>
        <translation>a_t = softmax(e_t)：第 t 步读取的位置。点击一根柱把全部权重强制到那里（“如果……会怎样？”）。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="412" />
        <source>Row t is a_t: filled one row per step. Click a row to see that step's details.</source>
        <translation>第 t 行是 a_t：每一步填一行。点击一行查看该步的细节。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="413" />
        <source>s_t−1 (the state before the step), c_t = Σ a_t,i h_i (what it read) and s_t (the state after)</source>
        <translation>s_t−1（这一步之前的状态）、c_t = Σ a_t,i h_i（读到的上下文向量）和 s_t（这一步之后的状态）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="414" />
        <source>The five most likely next tokens; greedy decoding emits the first</source>
        <translation>最可能的五个下一词元；贪心解码输出第一个</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="424" />
        <source>dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="452" />
        <source>width k = </source>
        <translation>束宽 k = </translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="453" />
        <source>Beam width k: how many prefixes are kept at each step</source>
        <translation>束宽 k：每一步保留多少个前缀</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="454" />
        <source>Beam width</source>
        <translation>束宽</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="455" />
        <source>Keep the k most likely prefixes (sum of log p) at each step; each proposes its k best next tokens. k = 1 is greedy decoding.</source>
        <translation>每一步保留 k 个最可能的前缀（log p 之和）；每个前缀提出它最好的 k 个下一词元。k = 1 即贪心解码。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="457" />
        <source>beam tree: ● prefix, ■ ended by &amp;lt;/s&amp;gt;</source>
        <translation>束搜索树：● 前缀，■ 以 &amp;lt;/s&amp;gt; 结束</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="458" />
        <source>Every kept hypothesis, one column per step; click a node for its log p</source>
        <translation>所有保留的假设，每步一列；点击节点查看其 log p</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="460" />
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="460" />
        <source>steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="460" />
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="461" />
        <source>The finished hypotheses, best first: output, total log-probability, length, and whether it is right</source>
        <translation>已完成的假设，最好的在前：输出、总对数概率、长度以及是否正确</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="463" />
        <source>attention of the selected branch</source>
        <translation>所选分支的注意力</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="486" />
        <source> inputs per length</source>
        <translation> 个输入/每种长度</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="487" />
        <source>Recompute on fresh test sets</source>
        <translation>在新的测试集上重新计算</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="497" />
        <source>exact-match accuracy against input length (bundled models, greedy)</source>
        <translation>完全匹配准确率随输入长度的变化（内置模型，贪心解码）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="498" />
        <source>Share of test inputs decoded exactly right, by input length, with attention and with one fixed c</source>
        <translation>按输入长度统计完全解码正确的测试输入比例，有注意力与只用固定 c 对比</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="500" />
        <source>input length N</source>
        <translation>输入长度 N</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="501" />
        <source>exact match (%)</source>
        <translation>完全匹配（%）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="508" />
        <source>with attention</source>
        <translation>有注意力</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="511" />
        <source>Open this tab (or press Recompute) to measure.</source>
        <translation>打开此标签页（或按“重新计算”）进行测量。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="525" />
        <source>Bahdanau attention</source>
        <translation>Bahdanau 注意力</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="530" />
        <source>bidirectional encoder</source>
        <translation>双向编码器</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="535" />
        <source> units per direction</source>
        <translation> 个单元/每个方向</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="539" />
        <source> characters</source>
        <translation> 个字符</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="546" />
        <source> s at most</source>
        <translation> 秒（最多）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="548" />
        <source>Decoder</source>
        <translation>解码器</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="549" />
        <source>Scoring f_att</source>
        <translation>打分函数 f_att</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="551" />
        <source>GRU size</source>
        <translation>GRU 大小</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="552" />
        <source>Longest input</source>
        <translation>最长输入</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="553" />
        <location filename="../pages/seq2seq.py" line="1263" />
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="554" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="558" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="561" />
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="564" />
        <source>Use this model</source>
        <translation>使用此模型</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="573" />
        <source>Trains on the selected task in the background; the page stays usable.</source>
        <translation>在后台用所选任务训练；页面仍可使用。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="584" />
        <source>training loss (cross-entropy per token)</source>
        <translation>训练损失（每个词元的交叉熵）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="585" />
        <source>held-out exact match (%)</source>
        <translation>留出集完全匹配（%）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="586" />
        <source>The training loss per step, and the share of held-out inputs decoded exactly right</source>
        <translation>每一步的训练损失，以及完全解码正确的留出集输入比例</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="591" />
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="616" />
        <source>Task: {0}</source>
        <translation>任务：{0}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="618" />
        <source>No model for the {0} task is bundled here: train one in the Train tab, or Open… a checkpoint.</source>
        <translation>这里没有 {0} 任务的内置模型：请在“训练”标签页训练一个，或用“打开…”加载检查点。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="633" />
        <source>That model cannot read “{0}”: {1}</source>
        <translation>该模型无法读取“{0}”：{1}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="636" />
        <source>Choose model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="647" />
        <location filename="../pages/seq2seq.py" line="970" />
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="648" />
        <source>{0} — {1} Keeping “{2}”.</source>
        <translation>{0} — {1} 保留“{2}”。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="652" />
        <source>Type input</source>
        <translation>输入文本</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="665" />
        <source>Example input</source>
        <translation>示例输入</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="671" />
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="675" />
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="681" />
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="699" />
        <source>This model has no attention to force: every step reads the same fixed context c.</source>
        <translation>该模型没有注意力可以强制：每一步都读取同一个固定的上下文向量 c。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="702" />
        <source>Press Step first: attention is forced at a decoder step.</source>
        <translation>请先按“单步”：注意力是在某个解码步上强制的。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="711" />
        <source>Force attention at step {0}</source>
        <translation>在第 {0} 步强制注意力</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="725" />
        <source>Open a seq2seq checkpoint</source>
        <translation>打开 seq2seq 检查点</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="747" />
        <source>Could not open it: {0}</source>
        <translation>无法打开：{0}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="752" />
        <source>Opened {0}.</source>
        <translation>已打开 {0}。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="762" />
        <source>The model “{0}” is not available any more: pick another one.</source>
        <translation>模型“{0}”已不可用：请另选一个。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="848" />
        <source>Press &lt;b&gt;Step&lt;/b&gt; to decode one token, &lt;b&gt;Run&lt;/b&gt; to decode to &amp;lt;/s&amp;gt;.</source>
        <translation>按&lt;b&gt;单步&lt;/b&gt;解码一个词元，按&lt;b&gt;运行&lt;/b&gt;解码直到 &amp;lt;/s&amp;gt;。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="850" />
        <source>✓ correct</source>
        <translation>✓ 正确</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="850" />
        <source>✗ expected “{0}”</source>
        <translation>✗ 应为“{0}”</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="851" />
        <source>finished after {0} steps — {1}</source>
        <translation>{0} 步后结束 — {1}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="853" />
        <source>step {0}: emitted “{1}”</source>
        <translation>第 {0} 步：输出“{1}”</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="854" />
        <source> — a&lt;sub&gt;t&lt;/sub&gt; forced at step {0}</source>
        <translation> — 第 {0} 步的 a&lt;sub&gt;t&lt;/sub&gt; 被强制</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="855" />
        <source>Output: {0} &amp;nbsp; {1}</source>
        <translation>输出：{0} &amp;nbsp; {1}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="893" />
        <source>no attention: one fixed c</source>
        <translation>无注意力：一个固定的 c</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="899" />
        <source> — * forced</source>
        <translation> — * 为强制</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="904" />
        <source>scores e&lt;sub&gt;t,i&lt;/sub&gt; = f&lt;sub&gt;att&lt;/sub&gt;(s&lt;sub&gt;t−1&lt;/sub&gt;, h&lt;sub&gt;i&lt;/sub&gt;)</source>
        <translation>得分 e&lt;sub&gt;t,i&lt;/sub&gt; = f&lt;sub&gt;att&lt;/sub&gt;(s&lt;sub&gt;t−1&lt;/sub&gt;, h&lt;sub&gt;i&lt;/sub&gt;)</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="906" />
        <source>weights a&lt;sub&gt;t&lt;/sub&gt;, forced by you</source>
        <translation>权重 a&lt;sub&gt;t&lt;/sub&gt;，由你强制</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="906" />
        <source>weights a&lt;sub&gt;t&lt;/sub&gt; = softmax(e&lt;sub&gt;t&lt;/sub&gt;)</source>
        <translation>权重 a&lt;sub&gt;t&lt;/sub&gt; = softmax(e&lt;sub&gt;t&lt;/sub&gt;)</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="908" />
        <source>no scores: no attention</source>
        <translation>无得分：没有注意力</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="909" />
        <source>no weights: c&lt;sub&gt;t&lt;/sub&gt; = c always</source>
        <translation>无权重：c&lt;sub&gt;t&lt;/sub&gt; 始终等于 c</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="923" />
        <source>Before the first step: the decoder starts from s&lt;sub&gt;0&lt;/sub&gt; = tanh(W&lt;sub&gt;init&lt;/sub&gt; c), the top row of the vectors. Press &lt;b&gt;Step&lt;/b&gt;.</source>
        <translation>第一步之前：解码器从 s&lt;sub&gt;0&lt;/sub&gt; = tanh(W&lt;sub&gt;init&lt;/sub&gt; c) 开始，即向量图的第一行。请按&lt;b&gt;单步&lt;/b&gt;。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="942" />
        <source>looked most at “{0}” (position {1})</source>
        <translation>最关注“{0}”（位置 {1}）</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="944" />
        <source>read the fixed c</source>
        <translation>读取了固定的 c</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="947" />
        <source>&lt;b&gt;Step {0}&lt;/b&gt; of {1}: from s&lt;sub&gt;{2}&lt;/sub&gt; it {3}, updated to s&lt;sub&gt;{0}&lt;/sub&gt; and emitted &lt;b&gt;{4}&lt;/b&gt; (p = {5}).</source>
        <translation>&lt;b&gt;第 {0} 步&lt;/b&gt;（共 {1} 步）：从 s&lt;sub&gt;{2}&lt;/sub&gt; 出发，{3}，更新为 s&lt;sub&gt;{0}&lt;/sub&gt; 并输出 &lt;b&gt;{4}&lt;/b&gt;（p = {5}）。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="983" />
        <source>step {0}: “{1}”, log p = {2}, place {3} in the beam</source>
        <translation>第 {0} 步：“{1}”，log p = {2}，束中第 {3} 名</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="983" />
        <source> — finished</source>
        <translation> — 已结束</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="996" />
        <source>no attention in this model</source>
        <translation>该模型没有注意力</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="999" />
        <source>attention along the branch</source>
        <translation>沿该分支的注意力</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1042" />
        <source>No bundled models for this task.</source>
        <translation>此任务没有内置模型。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1047" />
        <source>measuring {0}</source>
        <translation>正在测量 {0}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1068" />
        <source>Measuring {0} models on {1} lengths × {2} fresh inputs…</source>
        <translation>正在用 {1} 种长度 × {2} 个新输入测量 {0} 个模型…</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1076" />
        <source>The measurement failed: {0}</source>
        <translation>测量失败：{0}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1097" />
        <source>With attention: {0} at N = {1}, {2} at N = {3}</source>
        <translation>有注意力：N = {1} 时 {0}，N = {3} 时 {2}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1097" />
        <source>without: {0} at N = {1}, {2} at N = {3}</source>
        <translation>无注意力：N = {1} 时 {0}，N = {3} 时 {2}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1103" />
        <source>{0} fresh inputs per length (test sets #{1}). </source>
        <translation>每种长度 {0} 个新输入（测试集 #{1}）。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1103" />
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1103" />
        <source>.</source>
        <translation>。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1130" />
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1151" />
        <source>Training {0}: {1}, inputs ≤ {2}…</source>
        <translation>正在训练 {0}：{1}，输入 ≤ {2}…</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1192" />
        <source>, held-out exact match {0}%</source>
        <translation>，留出集完全匹配率 {0}%</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1193" />
        <source>step {0}/{1}, loss {2}{3}, {4} s</source>
        <translation>第 {0}/{1} 步，损失 {2}{3}，{4} 秒</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1210" />
        <source>trained #{0}</source>
        <translation>训练的 #{0}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1217" />
        <source>Done: {0} steps in {1} s (stopped by {2}); held-out exact match {3}. Use it on this page, or save it.</source>
        <translation>完成：{0} 步，用时 {1} 秒（停止原因：{2}）；留出集完全匹配率 {3}。可在本页使用或保存。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1225" />
        <source>Training failed: {0}</source>
        <translation>训练失败：{0}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1229" />
        <source>Training cancelled: nothing was kept, and the page still uses the model it had.</source>
        <translation>训练已取消：没有保留任何结果，页面仍使用原来的模型。</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1244" />
        <source>Save the trained model</source>
        <translation>保存训练好的模型</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1254" />
        <source>Could not save: {0}</source>
        <translation>无法保存：{0}</translation>
    </message>
    <message>
        <location filename="../pages/seq2seq.py" line="1256" />
        <source>Saved {0} (and its .json sidecar).</source>
        <translation>已保存 {0}（及其 .json 附属文件）。</translation>
    </message>
</context>
<context>
    <name>SequenceBar</name>
    <message>
        <location filename="../pages/common.py" line="165" />
        <location filename="../pages/common.py" line="194" />
        <source>D: the size of every token vector</source>
        <translation>D：每个词元向量的维度</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="167" />
        <source>Re-roll</source>
        <translation>重新随机</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="168" />
        <source>New random weights W_Q, W_K, W_V (each token keeps its embedding)</source>
        <translation>新的随机权重 W_Q、W_K、W_V（每个词元保留其嵌入）</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="171" />
        <source>Where the token vectors come from: seeded random, or a loaded model's embedding table</source>
        <translation>词元向量的来源：按种子随机生成，或已加载模型的嵌入表</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="194" />
        <source>D is the size of {0}</source>
        <translation>D 由 {0} 决定</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings_dialog.py" line="14" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="40" />
        <source>Compute on</source>
        <translation>计算设备</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="41" />
        <source>The lesson pages' small tensors are fastest on the CPU; a GPU helps big checkpoints.</source>
        <translation>课程页面的小张量在 CPU 上最快；GPU 适合大型检查点。</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="42" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="45" />
        <source>The new language applies the next time the app starts.</source>
        <translation>新的语言将在下次启动时生效。</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="46" />
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="47" />
        <source>Colormap for weights</source>
        <translation>权重的色图</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="48" />
        <source>Colormap for signed values</source>
        <translation>有符号数值的色图</translation>
    </message>
</context>
<context>
    <name>SizeBoxes</name>
    <message>
        <location filename="../pages/common.py" line="324" />
        <source>D_Q: the size of queries and keys (the scores are divided by √D_Q)</source>
        <translation>D_Q：查询和键的维度（得分除以 √D_Q）</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="325" />
        <source>Change D_Q</source>
        <translation>修改 D_Q</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="326" />
        <source>D_V: the size of values, and so of the outputs y</source>
        <translation>D_V：值的维度，也就是输出 y 的维度</translation>
    </message>
    <message>
        <location filename="../pages/common.py" line="327" />
        <source>Change D_V</source>
        <translation>修改 D_V</translation>
    </message>
</context>
<context>
    <name>TextPage</name>
    <message>
        <location filename="../pages/text.py" line="159" />
        <source>The bundled model could not be opened: {0}</source>
        <translation>无法打开内置模型：{0}</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="168" />
        <source>Text Transformers (§6)</source>
        <translation>文本 Transformer（§6）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="170" />
        <source>A BERT-style encoder (every token sees every token) or a GPT-2-style decoder (a causal mask: only earlier tokens), opened from a Hugging Face save_pretrained folder; every head's weights are recomputed by the core from the checkpoint's weights. &lt;i&gt;Hover a token in the head view; click a thumbnail in the model view; pick a (query, key) pair to see how each head scores it.&lt;/i&gt;</source>
        <translation>BERT 式编码器（每个词元看到所有词元）或 GPT-2 式解码器（因果掩码：只看之前的词元），从 Hugging Face 的 save_pretrained 文件夹打开；每个头的注意力权重都由内核根据检查点的参数重新计算。&lt;i&gt;在头视图中悬停一个词元；在模型视图中点击缩略图；选一对（查询，键），看每个头如何为它打分。&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="176" />
        <source>e&lt;sub&gt;h&lt;/sub&gt; = q&lt;sub&gt;h&lt;/sub&gt;·k&lt;sub&gt;h&lt;/sub&gt; / √D&lt;sub&gt;h&lt;/sub&gt; &amp;nbsp;&amp;nbsp; a&lt;sub&gt;h&lt;/sub&gt; = softmax(e&lt;sub&gt;h&lt;/sub&gt;) over the keys, in every layer and head h</source>
        <translation>e&lt;sub&gt;h&lt;/sub&gt; = q&lt;sub&gt;h&lt;/sub&gt;·k&lt;sub&gt;h&lt;/sub&gt; / √D&lt;sub&gt;h&lt;/sub&gt; &amp;nbsp;&amp;nbsp; a&lt;sub&gt;h&lt;/sub&gt; = softmax(e&lt;sub&gt;h&lt;/sub&gt;)，在所有键上，对每一层和每个头 h</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="183" />
        <source>The text model shown: a bundled tiny model or a folder you opened</source>
        <translation>显示的文本模型：内置的小模型或你打开的文件夹</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="185" />
        <source>Open folder…</source>
        <translation>打开文件夹…</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="186" />
        <source>Open a Hugging Face save_pretrained folder (config.json, weights, tokenizer.json)</source>
        <translation>打开 Hugging Face 的 save_pretrained 文件夹（config.json、权重、tokenizer.json）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="193" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="198" />
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="210" />
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="211" />
        <source>token ids</source>
        <translation>词元 id</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="214" />
        <location filename="../pages/text.py" line="612" />
        <source>type text, then Enter</source>
        <translation>输入文本，然后按回车</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="217" />
        <source>sentence B (optional)</source>
        <translation>句子 B（可选）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="218" />
        <source>BERT reads two sentences as [CLS] A [SEP] B [SEP], B with segment embedding 1</source>
        <translation>BERT 以 [CLS] A [SEP] B [SEP] 的形式读入两个句子，B 使用片段嵌入 1</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="228" />
        <source>layer </source>
        <translation>层 </translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="229" />
        <source>Which layer the head view, the enlarged map and the query · key tab show</source>
        <translation>头视图、放大图和“查询 · 键”标签页所显示的层</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="231" />
        <source>Show layer {0}</source>
        <translation>显示第 {0} 层</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="234" />
        <source>all heads</source>
        <translation>所有头</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="235" />
        <source>Show all heads</source>
        <translation>显示所有头</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="239" />
        <source>Heads:</source>
        <translation>头：</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="248" />
        <source>Queries on the left, keys on the right; a line per head, its opacity the weight a. Hover a token, click to pin it.</source>
        <translation>左边是查询，右边是键；每个头一条线，不透明度表示权重 a。悬停一个词元，点击以固定。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="251" />
        <source>weights of the focused token, per head</source>
        <translation>焦点词元的权重，按头</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="252" />
        <source>The focused token's weights a, one column per head</source>
        <translation>焦点词元的权重 a，每个头一列</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="264" />
        <source>Head view</source>
        <translation>头视图</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="266" />
        <source>every layer × head (click one to enlarge)</source>
        <translation>所有层 × 头（点击一个放大）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="267" />
        <source>Every head's weight map, one row of thumbnails per layer</source>
        <translation>每个头的权重图，每层一行缩略图</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="278" />
        <source>The chosen head's weights a (queries × keys); click a cell to study that pair</source>
        <translation>所选头的权重 a（查询 × 键）；点击单元格研究这一对</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="279" />
        <location filename="../pages/text.py" line="290" />
        <source>Choose query and key</source>
        <translation>选择查询和键</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="284" />
        <source>Model view</source>
        <translation>模型视图</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="289" />
        <source>The chosen head's weights a (queries × keys); click a cell to choose the (query, key) pair</source>
        <translation>所选头的权重 a（查询 × 键）；点击单元格选择（查询，键）对</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="300" />
        <source>The query vector q of every head (dims × heads)</source>
        <translation>每个头的查询向量 q（维度 × 头）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="301" />
        <source>The key vector k of every head (dims × heads)</source>
        <translation>每个头的键向量 k（维度 × 头）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="302" />
        <source>q ⊙ k: summed over the dims (and scaled) it gives each head's score e</source>
        <translation>q ⊙ k：在维度上求和（并缩放）即得每个头的得分 e</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="308" />
        <source>score e per head (click a head to map it)</source>
        <translation>每个头的得分 e（点击一个头显示其权重图）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="309" />
        <source>weight a per head</source>
        <translation>每个头的权重 a</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="310" />
        <source>Each head's score e of the pair, before the softmax</source>
        <translation>每个头对这一对的得分 e（softmax 之前）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="311" />
        <source>Each head's weight a of the pair: the softmax of e over all keys</source>
        <translation>每个头对这一对的权重 a：e 在所有键上的 softmax</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="314" />
        <source>Map head {0}</source>
        <translation>显示第 {0} 个头的权重图</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="325" />
        <source>Query · key</source>
        <translation>查询 · 键</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="379" />
        <source>Still opening the previous model: cancel it first.</source>
        <translation>仍在打开上一个模型：请先取消。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="416" />
        <source>Could not open {0}: {1}</source>
        <translation>无法打开 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="418" />
        <source>The model this state names could not be opened: open another folder.</source>
        <translation>无法打开此状态指定的模型：请打开另一个文件夹。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="423" />
        <source>Open {0}</source>
        <translation>打开 {0}</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="431" />
        <source>Open a save_pretrained folder (config.json + weights + tokenizer.json)</source>
        <translation>打开 save_pretrained 文件夹（config.json + 权重 + tokenizer.json）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="445" />
        <source> (bundled)</source>
        <translation>（内置）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="449" />
        <source>no model: open a folder</source>
        <translation>无模型：请打开文件夹</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="470" />
        <source>This model has no tokenizer.json: type token ids (e.g. 2 17 40 3).</source>
        <translation>该模型没有 tokenizer.json：请输入词元 id（例如 2 17 40 3）。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="477" />
        <source>{0} — keeping the previous input.</source>
        <translation>{0} — 保留之前的输入。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="482" />
        <source>Edit text</source>
        <translation>编辑文本</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="482" />
        <source>Edit token ids</source>
        <translation>编辑词元 id</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="489" />
        <source>Unpin token</source>
        <translation>取消固定词元</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="491" />
        <source>Pin query token</source>
        <translation>固定查询词元</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="493" />
        <source>Pin key token</source>
        <translation>固定键词元</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="510" />
        <source>no token focused: mean a each key receives</source>
        <translation>没有焦点词元：每个键收到的平均 a</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="513" />
        <source>focused query: its a over the keys</source>
        <translation>焦点查询：它在各个键上的 a</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="516" />
        <source>focused key: a of each query on it</source>
        <translation>焦点键：每个查询在它上面的 a</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="529" />
        <source>At least one head stays shown.</source>
        <translation>至少要显示一个头。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="532" />
        <source>Toggle head {0}</source>
        <translation>切换第 {0} 个头</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="539" />
        <source>Enlarge layer {0} head {1}</source>
        <translation>放大第 {0} 层第 {1} 个头</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="557" />
        <source>Opening {0}…</source>
        <translation>正在打开 {0}…</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="560" />
        <source>Open a BERT- or GPT-2-style save_pretrained folder (config.json, weights, tokenizer.json) to begin.</source>
        <translation>打开一个 BERT 或 GPT-2 式的 save_pretrained 文件夹（config.json、权重、tokenizer.json）以开始。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="572" />
        <source>{0} — keeping the last valid input.</source>
        <translation>{0} — 保留上一个有效输入。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="574" />
        <source>{0} tokens</source>
        <translation>{0} 个词元</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="612" />
        <source>token ids, e.g. 2 17 40 3 (| starts sentence B)</source>
        <translation>词元 id，例如 2 17 40 3（| 开始句子 B）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="622" />
        <source>BERT-style encoder</source>
        <translation>BERT 式编码器</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="622" />
        <source>GPT-2-style decoder (causal)</source>
        <translation>GPT-2 式解码器（因果）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="624" />
        <source>{0} · {1} layers × {2} heads · D = {3} · {4} positions · {5} M parameters</source>
        <translation>{0} · {1} 层 × {2} 个头 · D = {3} · {4} 个位置 · {5} M 参数</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="627" />
        <source> · no tokenizer</source>
        <translation> · 无分词器</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="630" />
        <source>post-norm encoder with segment embeddings</source>
        <translation>带片段嵌入的后归一化编码器</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="630" />
        <source>pre-norm decoder: each token sees only itself and earlier ones</source>
        <translation>前归一化解码器：每个词元只看到自己和之前的词元</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="631" />
        <source>; head size D_h = {0}; {1}; {2}</source>
        <translation>；每头维度 D_h = {0}；{1}；{2}</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="662" />
        <source>head {0}: shown — click to hide</source>
        <translation>第 {0} 个头：已显示 — 点击隐藏</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="662" />
        <source>head {0}: hidden — click to show</source>
        <translation>第 {0} 个头：已隐藏 — 点击显示</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="690" />
        <source> GPT-2 is causal: a token only looks back (lines go up or across, never down).</source>
        <translation> GPT-2 是因果的：词元只向前看（连线向上或水平，从不向下）。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="694" />
        <source>Pinned query “{0}”: where it looks; click it again to unpin.</source>
        <translation>已固定查询“{0}”：它关注哪里；再次点击取消固定。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="696" />
        <source>Pinned key “{0}”: which tokens look at it; click it again to unpin.</source>
        <translation>已固定键“{0}”：哪些词元关注它；再次点击取消固定。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="698" />
        <source>Showing the strongest lines ({0}). Hover a token to see all of its lines; click to pin it.</source>
        <translation>显示最强的连线（{0} 条）。悬停一个词元查看它的所有连线；点击以固定。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="699" />
        <source>Layer {0}: one colour per head, opacity grows with the weight a. {1}</source>
        <translation>第 {0} 层：每个头一种颜色，不透明度随权重 a 增大。{1}</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="710" />
        <source> (max-pooled {0}×{0})</source>
        <translation>（{0}×{0} 最大池化）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="711" />
        <source>{0} layers × {1} heads{2} — click one to enlarge</source>
        <translation>{0} 层 × {1} 个头{2} — 点击一个放大</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="716" />
        <source>layer {0}, head {1}</source>
        <translation>第 {0} 层，第 {1} 个头</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="727" />
        <source>hover a thumbnail for its weights; click one to enlarge it</source>
        <translation>悬停缩略图查看其权重；点击放大</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="734" />
        <source>layer {0}, head {1}: query “{2}” ({3}) → key “{4}” ({5}):  a = {6}</source>
        <translation>第 {0} 层，第 {1} 个头：查询“{2}”（{3}）→ 键“{4}”（{5}）：  a = {6}</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="738" />
        <source>layer {0}, head {1}: queries {2}–{3} → keys {4}–{5}:  max a = {6} (click to enlarge)</source>
        <translation>第 {0} 层，第 {1} 个头：查询 {2}–{3} → 键 {4}–{5}：  max a = {6}（点击放大）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="746" />
        <source>layer {0}, head {1} (click a pair)</source>
        <translation>第 {0} 层，第 {1} 个头（点击选择一对）</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="755" />
        <source>q of “{0}”</source>
        <translation>“{0}”的 q</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="757" />
        <source>k of “{0}”</source>
        <translation>“{0}”的 k</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="764" />
        <source> &lt;b&gt;This pair is masked&lt;/b&gt; (the key comes after the query): its score never reaches the softmax, so a = 0.</source>
        <translation> &lt;b&gt;这一对被掩码了&lt;/b&gt;（键在查询之后）：它的得分不会进入 softmax，所以 a = 0。</translation>
    </message>
    <message>
        <location filename="../pages/text.py" line="767" />
        <source>Layer {0}: query “{1}” ({2}) → key “{3}” ({4}). Each head scores the pair as e&lt;sub&gt;h&lt;/sub&gt; = Σ&lt;sub&gt;d&lt;/sub&gt; (q&lt;sub&gt;h&lt;/sub&gt; ⊙ k&lt;sub&gt;h&lt;/sub&gt;)&lt;sub&gt;d&lt;/sub&gt;{5}; the softmax over all keys gives a&lt;sub&gt;h&lt;/sub&gt;.{6}</source>
        <translation>第 {0} 层：查询“{1}”（{2}）→ 键“{3}”（{4}）。每个头为这一对打分 e&lt;sub&gt;h&lt;/sub&gt; = Σ&lt;sub&gt;d&lt;/sub&gt; (q&lt;sub&gt;h&lt;/sub&gt; ⊙ k&lt;sub&gt;h&lt;/sub&gt;)&lt;sub&gt;d&lt;/sub&gt;{5}；在所有键上做 softmax 得到 a&lt;sub&gt;h&lt;/sub&gt;。{6}</translation>
    </message>
</context>
<context>
    <name>TokenInput</name>
    <message>
        <location filename="../widgets/token_input.py" line="27" />
        <source>type a sentence, then Enter</source>
        <translation>输入一个句子，然后按回车</translation>
    </message>
    <message>
        <location filename="../widgets/token_input.py" line="30" />
        <source>words</source>
        <translation>单词</translation>
    </message>
    <message>
        <location filename="../widgets/token_input.py" line="31" />
        <source>characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <location filename="../widgets/token_input.py" line="34" />
        <source>Presets…</source>
        <translation>预设…</translation>
    </message>
    <message>
        <location filename="../widgets/token_input.py" line="44" />
        <source>Tokens:</source>
        <translation>词元：</translation>
    </message>
    <message>
        <location filename="../widgets/token_input.py" line="100" />
        <source>{0} — keeping the previous sequence.</source>
        <translation>{0} — 保留之前的序列。</translation>
    </message>
</context>
<context>
    <name>TransformerPage</name>
    <message>
        <location filename="../pages/transformer.py" line="63" />
        <source>random weights (seeded)</source>
        <translation>随机权重（带种子）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="63" />
        <source>counting encoder (trained)</source>
        <translation>计数编码器（已训练）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="76" />
        <source>Hover a cell for its stage, token, dim and value; click a row to outline it in every stage.</source>
        <translation>悬停单元格查看其阶段、词元、维度和数值；点击一行可在所有阶段中勾勒出它。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="411" />
        <source>The Transformer (§6)</source>
        <translation>Transformer（§6）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="413" />
        <source>A Transformer block: multi-head self-attention → + residual → LayerNorm → MLP → + residual → LayerNorm; a Transformer is a stack of such blocks. &lt;b&gt;Self-attention is the only place tokens interact&lt;/b&gt;: the MLP and LayerNorm work on each token alone. &lt;i&gt;Edit one token and watch which cells change.&lt;/i&gt;</source>
        <translation>Transformer 块：多头自注意力 → + 残差 → LayerNorm → MLP → + 残差 → LayerNorm；Transformer 就是这样的块的堆叠。&lt;b&gt;自注意力是词元之间唯一发生交互的地方&lt;/b&gt;：MLP 和 LayerNorm 对每个词元单独计算。&lt;i&gt;编辑一个词元，看哪些单元格发生变化。&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="431" />
        <source>Random seeded weights with the shape you choose, or the encoder trained to count letters</source>
        <translation>按你选择的结构生成的随机权重，或训练好的字母计数编码器</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="435" />
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="448" />
        <source>size of every token vector</source>
        <translation>每个词元向量的维度</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="449" />
        <source>attention heads (D must be divisible by H)</source>
        <translation>注意力头数（D 必须能被 H 整除）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="450" />
        <source>blocks </source>
        <translation>块数 </translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="450" />
        <source>how many blocks the stack has</source>
        <translation>堆叠中有多少个块</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="451" />
        <source>the MLP's hidden size, in multiples of D</source>
        <translation>MLP 隐藏层大小，以 D 的倍数计</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="453" />
        <source>post-norm</source>
        <translation>后归一化</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="454" />
        <source>pre-norm</source>
        <translation>前归一化</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="455" />
        <source>LayerNorm after each residual (the notes, Vaswani et al. 2017)</source>
        <translation>在每个残差之后做 LayerNorm（讲义，Vaswani 等 2017）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="456" />
        <source>LayerNorm before each sublayer; the residual stream is never normalised (GPT-2, ViT)</source>
        <translation>在每个子层之前做 LayerNorm；残差流本身从不归一化（GPT-2、ViT）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="457" />
        <source>Switch pre/post-norm</source>
        <translation>切换前/后归一化</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="460" />
        <source>positions: {0}</source>
        <translation>位置编码：{0}</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="461" />
        <source>The positional encoding added to the token vectors before the first block</source>
        <translation>在第一个块之前加到词元向量上的位置编码</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="462" />
        <source>Choose positional encoding</source>
        <translation>选择位置编码</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="463" />
        <source>Re-roll</source>
        <translation>重新随机</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="464" />
        <source>New seeded random weights and embeddings</source>
        <translation>新的随机权重和嵌入</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="465" />
        <source>Re-roll weights</source>
        <translation>重新随机权重</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="467" />
        <source>Which block of the stack the stages show</source>
        <translation>各阶段显示的是堆叠中的哪一个块</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="468" />
        <source>Choose block</source>
        <translation>选择块</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="473" />
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="481" />
        <source>Block stages</source>
        <translation>块的各阶段</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="482" />
        <source>LayerNorm vs BatchNorm</source>
        <translation>LayerNorm 与 BatchNorm</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="483" />
        <source>Three ways to process sequences</source>
        <translation>处理序列的三种方式</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="484" />
        <source>Transfer learning</source>
        <translation>迁移学习</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="498" />
        <source>The seven stages of the block, tokens × dimensions, on one colour scale; the bar after each stage is ‖x‖ of every token</source>
        <translation>块的七个阶段，词元 × 维度，使用同一色标；每个阶段之后的柱是每个词元的 ‖x‖</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="502" />
        <source>attention weights (mean of heads)</source>
        <translation>注意力权重（各头平均）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="503" />
        <source>a_ij averaged over the heads: how much token i (row) reads from token j (column) in this block</source>
        <translation>对所有头平均的 a_ij：在此块中词元 i（行）从词元 j（列）读取多少</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="534" />
        <source>The &lt;b&gt;sample&lt;/b&gt; is your tokens' input vectors x, normalised alone and inside batches of other sequences (random tokens, same embedding) of its own length or of lengths 2–64. &lt;b&gt;LayerNorm&lt;/b&gt; uses each token's own D features; &lt;b&gt;BatchNorm&lt;/b&gt; (training mode) each feature's mean and variance over every token in the batch. |Δ|: how far the sample's output (LN: LayerNorm, BN: BatchNorm) moved from its output when alone.</source>
        <translation>&lt;b&gt;样本&lt;/b&gt;是你的词元的输入向量 x，分别单独归一化，以及放进由其他序列（随机词元，相同嵌入）组成的批次中归一化，这些序列与它等长或长度为 2–64。&lt;b&gt;LayerNorm&lt;/b&gt; 使用每个词元自身的 D 个特征；&lt;b&gt;BatchNorm&lt;/b&gt;（训练模式）使用每个特征在批次内所有词元上的均值和方差。|Δ|：样本的输出（LN：LayerNorm，BN：BatchNorm）相对于单独归一化时的变化。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="541" />
        <source>BN, padded</source>
        <translation>BN，含填充</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="542" />
        <source>Per batch: how far the sample's LayerNorm (LN) and BatchNorm (BN) outputs moved from when it was normalised alone</source>
        <translation>每个批次：样本的 LayerNorm（LN）和 BatchNorm（BN）输出相对于单独归一化时的变化</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="546" />
        <source>BatchNorm: max |Δ| vs. alone (LayerNorm: 0)</source>
        <translation>BatchNorm：相对单独时的 max |Δ|（LayerNorm：0）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="547" />
        <source>BatchNorm's change of the sample's output in each batch (* mixed lengths); click a bar to show that batch</source>
        <translation>每个批次中 BatchNorm 对样本输出的改变（* 为混合长度）；点击一根柱子显示该批次</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="550" />
        <source>The batch whose normalised sample the maps below show</source>
        <translation>下方各图所显示的归一化样本所在的批次</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="555" />
        <source>LayerNorm: the same in every batch</source>
        <translation>LayerNorm：在每个批次中都相同</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="556" />
        <source>BatchNorm: this batch − alone</source>
        <translation>BatchNorm：本批次 − 单独</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="557" />
        <source>The sample after LayerNorm (tokens × dims): each token normalised over its own D features</source>
        <translation>LayerNorm 之后的样本（词元 × 维度）：每个词元在自己的 D 个特征上归一化</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="558" />
        <source>The sample after BatchNorm in the chosen batch: each feature normalised over every token of the batch</source>
        <translation>所选批次中 BatchNorm 之后的样本：每个特征在批次内所有词元上归一化</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="559" />
        <source>BatchNorm's output in this batch minus its output when the sample is alone</source>
        <translation>该批次中的 BatchNorm 输出减去样本单独归一化时的输出</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="566" />
        <source>Show the sample in:</source>
        <translation>显示样本所在批次：</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="584" />
        <source>One layer of each on the same input x (N × 64): an &lt;span style='color:#9467bd'&gt;RNN&lt;/span&gt; (h&lt;sub&gt;t&lt;/sub&gt; needs h&lt;sub&gt;t−1&lt;/sub&gt;), a &lt;span style='color:#2ca02c'&gt;1-D convolution&lt;/span&gt; (kernel 3) and &lt;span style='color:#d62728'&gt;self-attention&lt;/span&gt; (4 heads; explicit path keeping every weight, dashed: fused kernel). Steps and path length are counted; time is the median forward on one thread; memory is the peak of tensor bytes the forward allocated and held at once (counted per op, like tracemalloc).</source>
        <translation>在同一个输入 x（N × 64）上各用一层：&lt;span style='color:#9467bd'&gt;RNN&lt;/span&gt;（h&lt;sub&gt;t&lt;/sub&gt; 需要 h&lt;sub&gt;t−1&lt;/sub&gt;）、&lt;span style='color:#2ca02c'&gt;一维卷积&lt;/span&gt;（卷积核 3）和&lt;span style='color:#d62728'&gt;自注意力&lt;/span&gt;（4 个头；显式路径保留每个权重，虚线：融合内核）。步数和路径长度是计数得到的；时间是单线程前向的中位数；内存是前向过程中同时分配并持有的张量字节的峰值（按算子统计，类似 tracemalloc）。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="597" />
        <source>The longest sequence length N to measure</source>
        <translation>要测量的最长序列长度 N</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="601" />
        <source>Measure</source>
        <translation>测量</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="603" />
        <location filename="../pages/transformer.py" line="666" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="609" />
        <source>Counted columns are shown; press Measure for time and memory.</source>
        <translation>已显示计数得到的列；按“测量”获取时间和内存。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="611" />
        <source>Longest N:</source>
        <translation>最长 N：</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="621" />
        <location filename="../pages/transformer.py" line="639" />
        <source>sequential steps</source>
        <translation>顺序步数</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="622" />
        <source>path first → last token</source>
        <translation>路径 首词元 → 尾词元</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="623" />
        <source>forward time (ms)</source>
        <translation>前向时间（毫秒）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="624" />
        <location filename="../pages/transformer.py" line="639" />
        <source>peak memory (MiB)</source>
        <translation>峰值内存（MiB）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="639" />
        <source>path first → last</source>
        <translation>路径 首 → 尾</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="639" />
        <source>forward (ms)</source>
        <translation>前向（毫秒）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="640" />
        <source>Against N (log–log): steps that must run one after another, the longest path from the first to the last token, forward time and peak memory</source>
        <translation>随 N 的变化（双对数）：必须依次执行的步数、从第一个到最后一个词元的最长路径、前向时间和峰值内存</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="641" />
        <source>The same four quantities at the longest N chosen</source>
        <translation>在所选最长 N 处的同样四个量</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="662" />
        <source>steps </source>
        <translation>步数 </translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="663" />
        <source>Finetuning steps of the rerun</source>
        <translation>重新运行时的微调步数</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="664" />
        <source>Rerun in the background</source>
        <translation>在后台重新运行</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="680" />
        <source>finetuning step</source>
        <translation>微调步数</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="681" />
        <source>test accuracy</source>
        <translation>测试准确率</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="682" />
        <source>Test accuracy while finetuning: solid, from the pretrained encoder; dashed, the same model from scratch</source>
        <translation>微调过程中的测试准确率：实线，从预训练编码器开始；虚线，同一模型从零训练</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="690" />
        <source>chance: always the commoner class</source>
        <translation>随机水平：总是猜较常见的类别</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="706" />
        <source>{0} — keeping the previous model.</source>
        <translation>{0} — 保留之前的模型。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="724" />
        <location filename="../pages/transformer.py" line="1173" />
        <source>Edit tokens</source>
        <translation>编辑词元</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="738" />
        <source>The counting encoder reads lower-case letters and spaces: the tokens are now “{0}”.</source>
        <translation>计数编码器只读小写字母和空格：词元现在是“{0}”。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="739" />
        <source>Choose model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="745" />
        <source>Change the model's shape</source>
        <translation>修改模型结构</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="797" />
        <source>block {0} of {1}</source>
        <translation>第 {0} 块（共 {1} 块）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="829" />
        <source>block {0} of {1}, pre-norm — tokens × dims per stage, one colour scale; bars: ‖x‖ per token (0…{2})</source>
        <translation>第 {0} 块（共 {1} 块），前归一化 — 每个阶段为词元 × 维度，同一色标；柱：每个词元的 ‖x‖（0…{2}）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="831" />
        <source>block {0} of {1}, post-norm — tokens × dims per stage, one colour scale; bars: ‖x‖ per token (0…{2})</source>
        <translation>第 {0} 块（共 {1} 块），后归一化 — 每个阶段为词元 × 维度，同一色标；柱：每个词元的 ‖x‖（0…{2}）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="859" />
        <source>Edit one token (keep the number of tokens) to see which cells change: faded cells did not.</source>
        <translation>编辑一个词元（保持词元数不变）看哪些单元格变化：变淡的单元格没有变。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="866" />
        <source>Last edit, block {0}: only the edited rows changed.</source>
        <translation>上次编辑，第 {0} 块：只有被编辑的行发生了变化。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="868" />
        <source>Last edit, block {0}: every row of the input already differs — an earlier block's attention mixed them.</source>
        <translation>上次编辑，第 {0} 块：输入的每一行都已不同——前面块的注意力把它们混合了。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="871" />
        <source>Last edit, block {0}: before {1} only the edited rows changed; from there on, other tokens' rows change too.</source>
        <translation>上次编辑，第 {0} 块：在 {1} 之前只有被编辑的行变化；从那里开始，其他词元的行也变化了。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="877" />
        <source>&lt;b&gt;Counts predicted&lt;/b&gt; (how often each letter occurs): {0}</source>
        <translation>&lt;b&gt;预测的计数&lt;/b&gt;（每个字母出现的次数）：{0}</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="880" />
        <source>Pre-norm, D = {0}, H = {1}, MLP {2}·D, seeded weights #{3}.</source>
        <translation>前归一化，D = {0}，H = {1}，MLP {2}·D，随机权重 #{3}。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="880" />
        <source>Post-norm, D = {0}, H = {1}, MLP {2}·D, seeded weights #{3}.</source>
        <translation>后归一化，D = {0}，H = {1}，MLP {2}·D，随机权重 #{3}。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="884" />
        <source>Faded cells: unchanged by the last edit; orange bars: ‖x‖ of rows that changed.</source>
        <translation>变淡的单元格：未被上次编辑改变；橙色条：发生变化的行的 ‖x‖。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="893" />
        <source>{0} {1} · token “{2}” (row {3})</source>
        <translation>{0} {1} · 词元“{2}”（第 {3} 行）</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="894" />
        <source> · dim {0}: {1}</source>
        <translation> · 维度 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="897" />
        <source> · changed by the edit</source>
        <translation> · 被这次编辑改变</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="897" />
        <source> · unchanged by the edit</source>
        <translation> · 未被这次编辑改变</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="947" />
        <source>exactly the same output</source>
        <translation>完全相同的输出</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="947" />
        <source>outputs within {0}</source>
        <translation>相差不超过 {0} 的输出</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="950" />
        <source>&lt;b&gt;LayerNorm&lt;/b&gt; gave the sample {0} in all {1} batches: it only ever looks at one token. &lt;b&gt;BatchNorm&lt;/b&gt; moved it by up to {2} (* mixed lengths; padding counted as tokens moves it further). &lt;b&gt;Batch of one vector, training mode:&lt;/b&gt; {3} different inputs (spread {4}) all come out as β = 0 (spread {5}): x − μ = 0 erases everything. torch says: “{6}”.</source>
        <translation>&lt;b&gt;LayerNorm&lt;/b&gt; 在全部 {1} 个批次中给出样本{0}：它只看一个词元。&lt;b&gt;BatchNorm&lt;/b&gt; 使它最多改变 {2}（* 为混合长度；把填充算作词元会改变得更多）。&lt;b&gt;只有一个向量的批次，训练模式：&lt;/b&gt;{3} 个不同的输入（分散度 {4}）全部输出为 β = 0（分散度 {5}）：x − μ = 0 抹去了一切。torch 的提示：“{6}”。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="996" />
        <source>Measured N = {0}…{1}.</source>
        <translation>已测量 N = {0}…{1}。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="997" />
        <source>The measurement failed: {0}</source>
        <translation>测量失败：{0}</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="998" />
        <source>Cancelled; the points measured so far are kept.</source>
        <translation>已取消；保留已测得的点。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1005" />
        <source>Measuring…</source>
        <translation>测量中…</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1044" />
        <source>{0} steps</source>
        <translation>{0} 步</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1044" />
        <source>{0} layers</source>
        <translation>{0} 层</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1044" />
        <source>{0} layer</source>
        <translation>{0} 层</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1050" />
        <source>At N = {0}:</source>
        <translation>在 N = {0} 时：</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1058" />
        <source>No bundled curves: {0}</source>
        <translation>没有内置曲线：{0}</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1065" />
        <source>Bundled curves (resources/transformer/transfer.json). </source>
        <translation>内置曲线（resources/transformer/transfer.json）。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1079" />
        <source>The rerun failed ({0}); showing the previous curves. </source>
        <translation>重新运行失败（{0}）；显示之前的曲线。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1080" />
        <source>Cancelled; showing the previous curves. </source>
        <translation>已取消；显示之前的曲线。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1086" />
        <source>Training…</source>
        <translation>训练中…</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1105" />
        <source>This run's curves (the bundled file is unchanged). </source>
        <translation>本次运行的曲线（内置文件未改变）。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1121" />
        <source>{0} examples: finetuned {1} vs scratch {2}</source>
        <translation>{0} 个样本：微调 {1}，从零训练 {2}</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1124" />
        <source>After {0} steps — </source>
        <translation>{0} 步之后——</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1124" />
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1124" />
        <source>.</source>
        <translation>。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1131" />
        <source>pretrained → finetuned, {0} examples</source>
        <translation>预训练 → 微调，{0} 个样本</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1131" />
        <source>from scratch, {0} examples</source>
        <translation>从零训练，{0} 个样本</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1153" />
        <source>Transfer learning needs the bundled encoder (resources/transformer/).</source>
        <translation>迁移学习需要内置编码器（resources/transformer/）。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1160" />
        <source>&lt;b&gt;Pretrain&lt;/b&gt; on “{0}” (the bundled counting encoder, plenty of data), then &lt;b&gt;finetune&lt;/b&gt; on “{1}” with only {2} labelled sequences — against the same model trained &lt;b&gt;from scratch&lt;/b&gt; on the same examples (same new head, optimiser, learning rate {3}, batch {4}). Accuracy on {5} test sequences.</source>
        <translation>先在“{0}”上&lt;b&gt;预训练&lt;/b&gt;（内置的计数编码器，数据充足），再只用 {2} 条带标签的序列在“{1}”上&lt;b&gt;微调&lt;/b&gt;——对比同一模型在相同样本上&lt;b&gt;从零训练&lt;/b&gt;（相同的新输出头、优化器、学习率 {3}、批大小 {4}）。在 {5} 条测试序列上的准确率。</translation>
    </message>
    <message>
        <location filename="../pages/transformer.py" line="1164" />
        <source> or </source>
        <translation> 或 </translation>
    </message>
</context>
<context>
    <name>VectorListEditor</name>
    <message>
        <location filename="../widgets/matrix_editor.py" line="146" />
        <source>one vector per line, e.g.  1.0, -0.5</source>
        <translation>每行一个向量，例如  1.0, -0.5</translation>
    </message>
    <message>
        <location filename="../widgets/matrix_editor.py" line="148" />
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../widgets/matrix_editor.py" line="170" />
        <source>{0} — keeping the current vectors.</source>
        <translation>{0} — 保留当前向量。</translation>
    </message>
</context>
<context>
    <name>VitPage</name>
    <message>
        <location filename="../pages/vit.py" line="58" />
        <source>Patch</source>
        <translation>图像块</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="59" />
        <source>CLS</source>
        <translation>CLS</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="60" />
        <source>Rollout</source>
        <translation>注意力展开</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="61" />
        <source>Gradient rollout</source>
        <translation>梯度加权展开</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="64" />
        <source>Attention of the clicked patch: where its query looks among the patches, for the chosen layer and head (or the mean of the heads)</source>
        <translation>所点击图像块的注意力：它的查询在各图像块中关注哪里（所选的层和头，或各头平均）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="65" />
        <source>The CLS token's attention over the patches, for the chosen layer and head: what the token that makes the prediction reads</source>
        <translation>类别词元（CLS）对各图像块的注意力（所选的层和头）：做出预测的那个词元读取了什么</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="66" />
        <source>Attention rollout (Abnar &amp; Zuidema): each layer's heads fused, the residual added, rows renormalised, and the layers multiplied; the CLS row over the patches</source>
        <translation>注意力展开（Abnar &amp; Zuidema）：融合每层的各个头，加上残差，逐行重新归一化，再把各层相乘；显示 CLS 那一行在各图像块上的值</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="67" />
        <source>Gradient rollout (Chefer et al.): each head's attention weighted by the gradient of the chosen class's score, negatives dropped, rolled out through the layers</source>
        <translation>梯度加权展开（Chefer 等）：每个头的注意力按所选类别得分的梯度加权，去掉负值，再逐层展开</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="69" />
        <source>mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="69" />
        <source>max</source>
        <translation>最大</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="69" />
        <source>min</source>
        <translation>最小</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="72" />
        <source>circle</source>
        <translation>圆形</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="73" />
        <source>square</source>
        <translation>正方形</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="74" />
        <source>triangle</source>
        <translation>三角形</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="75" />
        <source>cross</source>
        <translation>十字</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="76" />
        <source>star</source>
        <translation>星形</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="79" />
        <source>tiny ViT on shapes (bundled)</source>
        <translation>在形状数据上训练的小型 ViT（内置）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="110" />
        <source>mean of heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="110" />
        <source>head {0}</source>
        <translation>第 {0} 个头</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="165" />
        <source>where patch {0} (row {1}, column {2}) looks, layer {3}, {4}</source>
        <translation>图像块 {0}（第 {1} 行，第 {2} 列）关注的位置，第 {3} 层，{4}</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="171" />
        <source>this model has no CLS token: choose a patch, or the rollout</source>
        <translation>这个模型没有类别词元（CLS）：请选择图像块或注意力展开</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="173" />
        <source>the CLS token's attention over the patches, layer {0}, {1}</source>
        <translation>类别词元（CLS）对各图像块的注意力，第 {0} 层，{1}</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="177" />
        <source>rollout through all {0} layers (heads fused by {1}, discard {2})</source>
        <translation>贯穿全部 {0} 层的注意力展开（各头按{1}融合，丢弃 {2}）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="190" />
        <source>gradient-weighted rollout for class “{0}” (the prediction)</source>
        <translation>类别“{0}”的梯度加权展开（即预测类别）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="192" />
        <source>gradient-weighted rollout for class “{0}”</source>
        <translation>类别“{0}”的梯度加权展开</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="300" />
        <source>The bundled model could not be loaded: {0}</source>
        <translation>无法加载内置模型：{0}</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="309" />
        <source>Vision Transformer (§7)</source>
        <translation>视觉 Transformer（§7）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="311" />
        <source>An image becomes a sequence: it is cut into P×P patches, each flattened and projected to a token; a CLS token and position embeddings are added, and a Transformer encoder reads the sequence. &lt;i&gt;Click a patch to see where it looks; switch to the CLS map, the rollout through all layers, or the gradient rollout for a class.&lt;/i&gt; With little data a CNN wins (its locality is built in); with enough, the ViT catches up.</source>
        <translation>图像变成一个序列：它被切成 P×P 的图像块，每个图像块展平后投影为一个词元；再加上类别词元（CLS）和位置嵌入，由 Transformer 编码器读入这个序列。&lt;i&gt;点击一个图像块，看它关注哪里；也可以切换到 CLS 注意力图、贯穿所有层的注意力展开（rollout），或某个类别的梯度加权展开。&lt;/i&gt;数据少时 CNN 更好（它的局部性是内置的）；数据足够多时，ViT 会追上来。</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="316" />
        <source>tokens = [CLS; x&lt;sub&gt;1&lt;/sub&gt;E; …; x&lt;sub&gt;N&lt;/sub&gt;E] + E&lt;sub&gt;pos&lt;/sub&gt; &amp;nbsp;&amp;nbsp; rollout R = Π&lt;sub&gt;l&lt;/sub&gt; norm(Ā&lt;sub&gt;l&lt;/sub&gt; + I)</source>
        <translation>词元 = [CLS; x&lt;sub&gt;1&lt;/sub&gt;E; …; x&lt;sub&gt;N&lt;/sub&gt;E] + E&lt;sub&gt;pos&lt;/sub&gt; &amp;nbsp;&amp;nbsp; 注意力展开 R = Π&lt;sub&gt;l&lt;/sub&gt; norm(Ā&lt;sub&gt;l&lt;/sub&gt; + I)</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="320" />
        <source>sample: {0}</source>
        <translation>样例：{0}</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="321" />
        <source>A generated shape at the model's input size, or an image you opened (drop one on the page)</source>
        <translation>按模型输入大小生成的形状，或你打开的图像（也可以拖放到页面上）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="322" />
        <source>Choose image</source>
        <translation>选择图像</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="323" />
        <source>Open image…</source>
        <translation>打开图像…</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="324" />
        <source>Open a PNG, JPEG, BMP or WebP image: it is centre-cropped and resized to the model's input size</source>
        <translation>打开 PNG、JPEG、BMP 或 WebP 图像：它会被缩放并居中裁剪到模型的输入大小</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="327" />
        <source>The ViT whose attention is shown: the bundled one, or a checkpoint opened on the Checkpoints page</source>
        <translation>显示其注意力的 ViT：内置模型，或在“检查点”页面打开的检查点</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="328" />
        <source>Choose model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="333" />
        <source>Image:</source>
        <translation>图像：</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="337" />
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="341" />
        <source>Choose patch</source>
        <translation>选择图像块</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="349" />
        <source>Choose map</source>
        <translation>选择注意力图</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="351" />
        <source>layer </source>
        <translation>层 </translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="352" />
        <source>The encoder layer whose attention the patch and CLS maps show (1 = nearest the input)</source>
        <translation>图像块图和 CLS 图所显示的编码器层（1 = 最靠近输入）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="353" />
        <source>Choose layer</source>
        <translation>选择层</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="355" />
        <source>One head's attention, or the mean of the layer's heads</source>
        <translation>单个头的注意力，或该层各头的平均</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="356" />
        <source>Choose head</source>
        <translation>选择头</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="360" />
        <source>How the rollout fuses the heads of a layer</source>
        <translation>注意力展开如何融合一层中的各个头</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="361" />
        <source>Choose fusion</source>
        <translation>选择融合方式</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="365" />
        <source>discard </source>
        <translation>丢弃 </translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="366" />
        <source>The fraction of the weakest attention links the rollout drops in each layer</source>
        <translation>注意力展开在每一层丢弃的最弱注意力连接的比例</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="368" />
        <source>Change discard ratio</source>
        <translation>更改丢弃比例</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="370" />
        <source>The class whose score the gradient rollout explains</source>
        <translation>梯度加权展开所解释的类别得分</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="371" />
        <source>Choose class</source>
        <translation>选择类别</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="374" />
        <source>Overlay opacity: how strongly the map covers the image</source>
        <translation>叠加不透明度：注意力图覆盖图像的程度</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="375" />
        <source>Change opacity</source>
        <translation>更改不透明度</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="380" />
        <source>opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="385" />
        <source>The map laid over the image: which attention, from which layer and head</source>
        <translation>叠加在图像上的图：哪种注意力，来自哪一层、哪个头</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="386" />
        <source>How the image was made into the model's input</source>
        <translation>图像如何变成模型的输入</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="398" />
        <source>prediction: top classes</source>
        <translation>预测：概率最高的类别</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="399" />
        <source>Probability p of each class (the softmax of the logits), the {0} most probable; click a bar for its value</source>
        <translation>每个类别的概率 p（logits 的 softmax），显示概率最高的 {0} 个；点击柱条查看数值</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="400" />
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="401" />
        <source>every layer × head (rows: layers, columns: heads)</source>
        <translation>每个层 × 头（行：层，列：头）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="401" />
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="401" />
        <source>head</source>
        <translation>头</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="404" />
        <source>Each tile is one head's attention weights a (the clicked patch's row or the CLS row) over the patch grid, scaled to its maximum; click a tile to choose its layer and head</source>
        <translation>每个小块是一个头在图像块网格上的注意力权重 a（所点击图像块的那一行或 CLS 那一行），按其最大值缩放；点击小块选择它的层和头</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="405" />
        <source>Layers × heads</source>
        <translation>层 × 头</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="406" />
        <source>ViT vs CNN</source>
        <translation>ViT 与 CNN</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="424" />
        <source>test accuracy against training-set size</source>
        <translation>测试准确率随训练集大小的变化</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="426" />
        <source>Accuracy on held-out images of the ViT (red circles) and the CNN (blue squares), each trained on that many images (log scale)</source>
        <translation>ViT（红色圆点）和 CNN（蓝色方块）在留出图像上的准确率，各自用这么多张图像训练（对数刻度）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="430" />
        <source>training images</source>
        <translation>训练图像数</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="431" />
        <source>test accuracy</source>
        <translation>测试准确率</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="440" />
        <source>What the curves measure, and how far apart the two models are at the smallest and largest training set</source>
        <translation>曲线测量的是什么，以及两个模型在最小和最大训练集上相差多少</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="441" />
        <source>Recompute (a few minutes)</source>
        <translation>重新计算（需几分钟）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="442" />
        <source>Train both models again on 100 to 3,000 images (a short step budget) and redraw the curves as points arrive</source>
        <translation>用 100 到 3,000 张图像重新训练两个模型（较少的训练步数），每测得一个点就重画曲线</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="447" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="468" />
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="471" />
        <location filename="../pages/vit.py" line="481" />
        <source>Open image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="471" />
        <source>Images ({0})</source>
        <translation>图像 ({0})</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="479" />
        <source>{0} — keeping the current image.</source>
        <translation>{0} — 保留当前图像。</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="494" />
        <source>a generated {0} at {1}×{1} px, the model's input size</source>
        <translation>生成的{0}，{1}×{1} 像素，即模型的输入大小</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="506" />
        <source>Choose layer and head</source>
        <translation>选择层和头</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="510" />
        <source>hover a tile: its layer, head and value; click it to show it on the image</source>
        <translation>悬停小块查看它的层、头和数值；点击以在图像上显示</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="513" />
        <source>layer {0}, head {1}, patch ({2}, {3}): a = {4}</source>
        <translation>第 {0} 层，第 {1} 个头，图像块 ({2}, {3})：a = {4}</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="520" />
        <source>The model {0} is not open: open it on the Checkpoints page.</source>
        <translation>模型 {0} 未打开：请在“检查点”页面打开它。</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="526" />
        <source>{0} — keeping the last map.</source>
        <translation>{0} — 保留上一张图。</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="559" />
        <source>predicted class</source>
        <translation>预测的类别</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="588" />
        <source>Showing {0}.</source>
        <translation>显示：{0}。</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="589" />
        <source>Input: {0}.</source>
        <translation>输入：{0}。</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="593" />
        <source>The image cut into a {0}×{0} grid of {1}×{1}-pixel patches, each one token; the colour over a patch is the map's value there, scaled to the map's maximum. Click a patch to see where it looks.</source>
        <translation>图像被切成 {0}×{0} 的网格，每个图像块 {1}×{1} 像素，各为一个词元；图像块上的颜色是该处的图值，按图的最大值缩放。点击一个图像块，看它关注哪里。</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="610" />
        <source>this checkpoint has no classification head</source>
        <translation>这个检查点没有分类头</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="616" />
        <source>prediction: {0} ({1})</source>
        <translation>预测：{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="633" />
        <source>every layer × head: the clicked patch's row (each tile scaled to its maximum)</source>
        <translation>每个层 × 头：所点击图像块的那一行（每个小块按其最大值缩放）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="635" />
        <source>every layer × head: the CLS row (each tile scaled to its maximum)</source>
        <translation>每个层 × 头：CLS 那一行（每个小块按其最大值缩放）</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="642" />
        <source>No bundled curves: press Recompute.</source>
        <translation>没有内置曲线：请按“重新计算”。</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="658" />
        <source>&lt;span style='color:#d62728'&gt;● ViT&lt;/span&gt; ({0} steps) vs &lt;span style='color:#1f77b4'&gt;■ CNN&lt;/span&gt; ({1} steps) on the same images: with {2} images the CNN reaches {3:.0%} and the ViT {4:.0%}; with {5} images {6:.0%} and {7:.0%}. A convolution's locality and weight sharing are built in; a ViT must learn them from data — and it keeps learning long after the CNN has stopped (the bundled ViT took 8,000 steps on 30,000 images).</source>
        <translation>&lt;span style='color:#d62728'&gt;● ViT&lt;/span&gt;（{0} 步）与 &lt;span style='color:#1f77b4'&gt;■ CNN&lt;/span&gt;（{1} 步）在相同的图像上训练：用 {2} 张图像时，CNN 达到 {3:.0%}，ViT 为 {4:.0%}；用 {5} 张图像时分别为 {6:.0%} 和 {7:.0%}。卷积的局部性和权重共享是内置的；ViT 必须从数据中学到它们 — 而且在 CNN 早已停止进步之后它仍在学习（内置的 ViT 在 30,000 张图像上训练了 8,000 步）。</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="686" />
        <source>Cancelled: the curves show the points measured so far.</source>
        <translation>已取消：曲线显示目前已测得的点。</translation>
    </message>
    <message>
        <location filename="../pages/vit.py" line="687" />
        <source>The experiment failed: {0}</source>
        <translation>实验失败：{0}</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <location filename="../i18n.py" line="79" />
        <source>input x</source>
        <translation>输入 x</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="80" />
        <source>self-attention</source>
        <translation>自注意力</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="81" />
        <source>+ residual</source>
        <translation>+ 残差</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="82" />
        <source>LayerNorm</source>
        <translation>LayerNorm</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="83" />
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="85" />
        <source>RNN</source>
        <translation>RNN</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="86" />
        <source>1-D convolution</source>
        <translation>一维卷积</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="87" />
        <source>self-attention (fused kernel)</source>
        <translation>自注意力（融合内核）</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="89" />
        <source>Dot product</source>
        <translation>点积</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="90" />
        <source>Scaled dot product</source>
        <translation>缩放点积</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="91" />
        <source>General (bilinear)</source>
        <translation>一般式（双线性）</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="92" />
        <source>Additive (Bahdanau MLP)</source>
        <translation>加性（Bahdanau MLP）</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="93" />
        <source>Cosine / temperature</source>
        <translation>余弦 / 温度</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="95" />
        <source>The cat sat on the mat</source>
        <translation>The cat sat on the mat（猫坐在垫子上）</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="96" />
        <source>Attention is all you need</source>
        <translation>Attention is all you need（注意力就是你所需要的）</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="97" />
        <source>Thinking machines</source>
        <translation>Thinking machines（会思考的机器）</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="98" />
        <source>Characters: hello world</source>
        <translation>字符：hello world</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="100" />
        <source>Reverse</source>
        <translation>反转</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="101" />
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="102" />
        <source>Sort</source>
        <translation>排序</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="103" />
        <source>Date normalisation</source>
        <translation>日期规范化</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="105" />
        <source>seeded random</source>
        <translation>种子随机</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="93" />
        <source>BERT-style encoder</source>
        <translation>BERT 式编码器</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="94" />
        <source>GPT-2-style decoder</source>
        <translation>GPT-2 式解码器</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../errors.py" line="26" />
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <location filename="../errors.py" line="27" />
        <source>The app is still running; your work is kept. Details below can go in a bug report.</source>
        <translation>应用仍在运行；你的工作已保留。下面的详细信息可以附在错误报告中。</translation>
    </message>
</context>
<context>
    <name>pages</name>
    <message>
        <location filename="../pages/__init__.py" line="39" />
        <source>Seq2seq with RNNs</source>
        <translation>基于 RNN 的 Seq2seq</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="40" />
        <source>The attention layer</source>
        <translation>注意力层</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="41" />
        <source>Self-attention</source>
        <translation>自注意力</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="42" />
        <source>Masked self-attention</source>
        <translation>掩码自注意力</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="43" />
        <source>Multi-head attention</source>
        <translation>多头注意力</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="44" />
        <source>The Transformer</source>
        <translation>Transformer</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="45" />
        <source>Vision Transformer</source>
        <translation>视觉 Transformer</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="46" />
        <source>Checkpoints</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="47" />
        <source>Text Transformers</source>
        <translation>文本 Transformer</translation>
    </message>
</context>
<context>
    <name>view_menu</name>
    <message>
        <location filename="../widgets/view_menu.py" line="22" />
        <source>Copy image</source>
        <translation>复制图像</translation>
    </message>
    <message>
        <location filename="../widgets/view_menu.py" line="25" />
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <location filename="../widgets/view_menu.py" line="26" />
        <source>Export PNG at 2× (print)…</source>
        <translation>以 2× 导出 PNG（打印）…</translation>
    </message>
    <message>
        <location filename="../widgets/view_menu.py" line="27" />
        <source>Export SVG…</source>
        <translation>导出 SVG…</translation>
    </message>
    <message>
        <location filename="../widgets/view_menu.py" line="28" />
        <source>Export data as CSV…</source>
        <translation>导出数据为 CSV…</translation>
    </message>
    <message>
        <location filename="../widgets/view_menu.py" line="29" />
        <source>Export data as NPZ…</source>
        <translation>导出数据为 NPZ…</translation>
    </message>
    <message>
        <location filename="../widgets/view_menu.py" line="39" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../widgets/view_menu.py" line="48" />
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
</TS>