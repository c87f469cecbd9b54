<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CheckpointsPage</name>
    <message>
        <location filename="../pages/checkpoints.py" line="313" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="289" />
        <location filename="../pages/checkpoints.py" line="344" />
        <source>No checkpoint open.</source>
        <translation>尚未打开检查点。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="257" />
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="259" />
        <source>Open folder…</source>
        <translation>打开文件夹…</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="266" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="274" />
        <source>Recent:</source>
        <translation>最近：</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="294" />
        <source>filter tensors by name, e.g. attn or blocks.3</source>
        <translation>按名称筛选张量，例如 attn 或 blocks.3</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="314" />
        <source>histogram of the selected tensor</source>
        <translation>所选张量的直方图</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="318" />
        <source>Select a tensor in the tree.</source>
        <translation>请在树中选择一个张量。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="325" />
        <source>Histogram</source>
        <translation>直方图</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="327" />
        <source>Metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="349" />
        <source>Open in ViT page</source>
        <translation>在 ViT 页面中打开</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="350" />
        <source>Run this model on your images, with every attention map and the rollout</source>
        <translation>在你的图像上运行此模型，查看每个注意力图和注意力展开（rollout）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="352" />
        <source>Open on the Text page</source>
        <translation>在文本页面中打开</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="354" />
        <source>Reset to the inferred config</source>
        <translation>恢复为推断出的配置</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="383" />
        <source>Open checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="388" />
        <source>Open Hugging Face folder</source>
        <translation>打开 Hugging Face 文件夹</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="405" />
        <source>Opening cancelled; the previous checkpoint is still shown.</source>
        <translation>已取消打开；仍显示之前的检查点。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="409" />
        <source>Opening {path} …</source>
        <translation>正在打开 {path} …</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="427" />
        <source>Could not open: {problem}</source>
        <translation>无法打开：{problem}</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="460" />
        <source>not a model this app recognises</source>
        <translation>不是本应用能识别的模型</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="462" />
        <source>{title} (cannot be run)</source>
        <translation>{title}（无法运行）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="479" />
        <source>None of the layouts this app knows is in these weights. It looked for:</source>
        <translation>这些权重不属于本应用已知的任何布局。查找过：</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="481" />
        <source>This file's first keys: {keys}</source>
        <translation>此文件的前几个键：{keys}</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="485" />
        <source>The tensors can still be browsed on the left.</source>
        <translation>仍可在左侧浏览这些张量。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="491" />
        <source>A text model: {layers} layers × {heads} heads, D = {dim}, read from config.json. Open it on the Text page to type text and see its heads.</source>
        <translation>文本模型：{layers} 层 × {heads} 个头，D = {dim}，读自 config.json。请在文本页面中打开它，输入文本并查看各个头。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="499" />
        <source>{depth} blocks × {heads} heads · {tokens} tokens: {prefix} + {grid}×{grid} patches · {classes}</source>
        <translation>{depth} 个块 × {heads} 个头 · {tokens} 个词元：{prefix} + {grid}×{grid} 个图块 · {classes}</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="500" />
        <source>no prefix token</source>
        <translation>无前缀词元</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="501" />
        <source>{n} classes</source>
        <translation>{n} 个类别</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="501" />
        <source>no classification head</source>
        <translation>无分类头</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="507" />
        <source>Read from the weights: q/k norm {qk}, final norm {norm}, input normalisation mean {mean}, std {std}.</source>
        <translation>读自权重：q/k 归一化 {qk}，最终归一化 {norm}，输入归一化均值 {mean}，标准差 {std}。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="508" />
        <source>yes</source>
        <translation>有</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="508" />
        <source>no</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="512" />
        <source>Guessed, not stored in the file: check the marked fields, or set them.</source>
        <translation>以下为推测值，文件中并未存储：请检查标出的字段，或自行设置。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="539" />
        <source>{problem} — the model keeps {field} = {value}.</source>
        <translation>{problem} —— 模型保留 {field} = {value}。</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="568" />
        <source>{n} recent</source>
        <translation>最近 {n} 个</translation>
    </message>
</context>
<context>
    <name>ConfigForm</name>
    <message>
        <location filename="../pages/checkpoints.py" line="129" />
        <source>image size (px)</source>
        <translation>图像尺寸（像素）</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="130" />
        <source>patch size P</source>
        <translation>图块大小 P</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="131" />
        <source>token size D</source>
        <translation>词元维度 D</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="132" />
        <source>blocks</source>
        <translation>块数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="133" />
        <source>heads H</source>
        <translation>头数 H</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="134" />
        <source>MLP size</source>
        <translation>MLP 大小</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="135" />
        <source>classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="136" />
        <source>register tokens</source>
        <translation>寄存器词元</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="137" />
        <source>LayerNorm ε</source>
        <translation>LayerNorm ε</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="138" />
        <source>activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="139" />
        <source>pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <location filename="../pages/checkpoints.py" line="213" />
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
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="114" />
        <source>Loading the attention core (torch)…</source>
        <translation>正在加载注意力内核（torch）…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="132" />
        <source>Core: loading…</source>
        <translation>内核：加载中…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="157" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="158" />
        <source>Open &amp;session…</source>
        <translation>打开会话(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="160" />
        <source>&amp;Save session…</source>
        <translation>保存会话(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="164" />
        <source>&amp;Open checkpoint…</source>
        <translation>打开检查点(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="167" />
        <source>Recent &amp;checkpoints</source>
        <translation>最近的检查点(&amp;C)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="170" />
        <source>&amp;Export current view</source>
        <translation>导出当前视图(&amp;E)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="172" />
        <source>View as &amp;PNG…</source>
        <translation>视图为 &amp;PNG…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="172" />
        <source>View as &amp;SVG…</source>
        <translation>视图为 &amp;SVG…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="172" />
        <source>Data as &amp;CSV…</source>
        <translation>数据为 &amp;CSV…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="172" />
        <source>Data as &amp;NPZ…</source>
        <translation>数据为 &amp;NPZ…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="177" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="181" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="182" />
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="184" />
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="190" />
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="194" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="195" />
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="199" />
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="206" />
        <source>&amp;Light theme</source>
        <translation>浅色主题(&amp;L)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="206" />
        <source>&amp;Dark theme</source>
        <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="213" />
        <source>&amp;Colormap for weights</source>
        <translation>权重的色图(&amp;C)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="214" />
        <source>Colormap for &amp;signed values</source>
        <translation>有符号数值的色图(&amp;S)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="224" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="225" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="227" />
        <source>Attention Explorer: build, see and inspect attention, computed live by a torch core.</source>
        <translation>注意力探索器：构建、观察并检查注意力，一切由 torch 内核实时计算。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="245" />
        <location filename="../main_window.py" line="327" />
        <source>Core: {where}</source>
        <translation>内核：{where}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="255" />
        <source>Core: unavailable</source>
        <translation>内核：不可用</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="256" />
        <source>The core could not be loaded: {message}
Reinstall with `make run`.</source>
        <translation>无法加载内核：{message}
请用 `make run` 重新安装。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="338" />
        <source>recomputed in {ms} ms</source>
        <translation>重新计算用时 {ms} 毫秒</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="354" />
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="354" />
        <location filename="../main_window.py" line="369" />
        <source>Sessions (*.json)</source>
        <translation>会话 (*.json)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="360" />
        <source>Save failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="362" />
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="369" />
        <location filename="../main_window.py" line="396" />
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="375" />
        <source>Could not open the session</source>
        <translation>无法打开会话</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="411" />
        <source>Autosave failed: {error}</source>
        <translation>自动保存失败：{error}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="432" />
        <source>Restore your work?</source>
        <translation>恢复你的工作？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="432" />
        <source>Attention Explorer did not close normally last time.</source>
        <translation>注意力探索器上次没有正常关闭。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="433" />
        <source>Restore every page as it was when it was last changed?</source>
        <translation>把每个页面恢复到最后一次修改时的状态吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="456" />
        <source>Clear the list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="483" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="492" />
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="494" />
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
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
    <name>pages</name>
    <message>
        <location filename="../pages/__init__.py" line="39" />
        <source>The attention layer</source>
        <translation>注意力层</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="40" />
        <source>Self-attention</source>
        <translation>自注意力</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="41" />
        <source>Masked self-attention</source>
        <translation>掩码自注意力</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="42" />
        <source>Multi-head attention</source>
        <translation>多头注意力</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="43" />
        <source>The Transformer</source>
        <translation>Transformer</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="44" />
        <source>Vision Transformer</source>
        <translation>视觉 Transformer</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="45" />
        <source>Checkpoints</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../pages/__init__.py" line="46" />
        <source>Text Transformers</source>
        <translation>文本 Transformer</translation>
    </message>
</context>
</TS>