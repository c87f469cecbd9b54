<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="111" />
        <source>Loading the attention core (torch)…</source>
        <translation>正在加载注意力内核（torch）…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="129" />
        <source>Core: loading…</source>
        <translation>内核：加载中…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="154" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="155" />
        <source>Open &amp;session…</source>
        <translation>打开会话(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="157" />
        <source>&amp;Save session…</source>
        <translation>保存会话(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="161" />
        <source>&amp;Open checkpoint…</source>
        <translation>打开检查点(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="164" />
        <source>&amp;Export current view</source>
        <translation>导出当前视图(&amp;E)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="166" />
        <source>View as &amp;PNG…</source>
        <translation>视图为 &amp;PNG…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="166" />
        <source>View as &amp;SVG…</source>
        <translation>视图为 &amp;SVG…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="166" />
        <source>Data as &amp;CSV…</source>
        <translation>数据为 &amp;CSV…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="166" />
        <source>Data as &amp;NPZ…</source>
        <translation>数据为 &amp;NPZ…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="171" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="175" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="176" />
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="178" />
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="184" />
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="188" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="189" />
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="193" />
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="200" />
        <source>&amp;Light theme</source>
        <translation>浅色主题(&amp;L)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="200" />
        <source>&amp;Dark theme</source>
        <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="207" />
        <source>&amp;Colormap for weights</source>
        <translation>权重的色图(&amp;C)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="208" />
        <source>Colormap for &amp;signed values</source>
        <translation>有符号数值的色图(&amp;S)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="218" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="219" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="221" />
        <source>Attention Explorer: build, see and inspect attention, computed live by a torch core.</source>
        <translation>注意力探索器：构建、观察并检查注意力，一切由 torch 内核实时计算。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="239" />
        <location filename="../main_window.py" line="321" />
        <source>Core: {where}</source>
        <translation>内核：{where}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="249" />
        <source>Core: unavailable</source>
        <translation>内核：不可用</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="250" />
        <source>The core could not be loaded: {message}
Reinstall with `make run`.</source>
        <translation>无法加载内核：{message}
请用 `make run` 重新安装。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="332" />
        <source>recomputed in {ms} ms</source>
        <translation>重新计算用时 {ms} 毫秒</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="348" />
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="348" />
        <location filename="../main_window.py" line="363" />
        <source>Sessions (*.json)</source>
        <translation>会话 (*.json)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="354" />
        <source>Save failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="356" />
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="363" />
        <location filename="../main_window.py" line="390" />
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="369" />
        <source>Could not open the session</source>
        <translation>无法打开会话</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="405" />
        <source>Autosave failed: {error}</source>
        <translation>自动保存失败：{error}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="426" />
        <source>Restore your work?</source>
        <translation>恢复你的工作？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="426" />
        <source>Attention Explorer did not close normally last time.</source>
        <translation>注意力探索器上次没有正常关闭。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="427" />
        <source>Restore every page as it was when it was last changed?</source>
        <translation>把每个页面恢复到最后一次修改时的状态吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="457" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="466" />
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="468" />
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
        <source>Checkpoints</source>
        <translation>检查点</translation>
    </message>
</context>
</TS>