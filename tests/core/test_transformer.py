"""The Transformer block and stack against torch.nn.TransformerEncoderLayer / TransformerEncoder."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from core import masks
from core.transformer import (
    POST_NORM_STAGES,
    PRE_NORM_STAGES,
    Transformer,
    TransformerConfig,
    block_forward,
    check_params,
    init_params,
    param_shapes,
    transformer_forward,
)


def reference_layer(config: TransformerConfig, seed: int) -> torch.nn.TransformerEncoderLayer:
    torch.manual_seed(seed)
    layer = torch.nn.TransformerEncoderLayer(
        config.dim, config.num_heads, config.mlp_dim, dropout=0.0, activation=config.activation, layer_norm_eps=config.eps,
        batch_first=True, norm_first=config.norm_first,
    )
    with torch.no_grad():  # torch starts LayerNorm at γ=1, β=0 and attention biases at 0: move them so they count
        for name, p in layer.named_parameters():
            if "norm" in name or name.endswith("bias"):
                p.add_(0.3 * torch.randn_like(p))
    return layer.eval()


@settings(max_examples=30, deadline=None)
@given(
    st.booleans(),  # norm_first
    st.sampled_from(["relu", "gelu"]),
    st.integers(1, 4),  # heads
    st.integers(1, 6),  # per-head size
    st.integers(1, 12),  # N
    st.integers(1, 3),  # batch
    st.booleans(),  # causal mask
    st.integers(0, 2**31 - 1),
)
def test_block_equals_torch_transformer_encoder_layer(norm_first, activation, heads, head_dim, n, batch, causal, seed):
    config = TransformerConfig(dim=heads * head_dim, num_heads=heads, mlp_dim=7, num_blocks=1, norm_first=norm_first, activation=activation)
    layer = reference_layer(config, seed)
    x = torch.randn(batch, n, config.dim)
    mask = masks.causal(n, n) if causal else None
    with torch.no_grad():
        expected = layer(x, src_mask=None if mask is None else ~mask)
        trace = block_forward(x, layer.state_dict(), config, mask=mask)
        fused = block_forward(x, layer.state_dict(), config, mask=mask, need_weights=False)
    assert trace.output.shape == expected.shape
    assert (trace.output - expected).abs().max() <= 1e-5
    assert (fused.output - expected).abs().max() <= 1e-5 and fused.attention.weights is None
    assert torch.allclose(trace.attention.weights.sum(-1), torch.ones(batch, heads, n))


@pytest.mark.parametrize("norm_first", [False, True])
def test_stack_equals_torch_transformer_encoder_and_training_mode_module(norm_first):
    config = TransformerConfig(dim=16, num_heads=4, mlp_dim=32, num_blocks=3, norm_first=norm_first, final_norm=norm_first)
    torch.manual_seed(0)
    reference = torch.nn.TransformerEncoder(
        reference_layer(config, 1), config.num_blocks, norm=torch.nn.LayerNorm(config.dim) if norm_first else None, enable_nested_tensor=False
    ).eval()
    with torch.no_grad():
        for p in reference.parameters():
            p.add_(0.05 * torch.randn_like(p))  # layers start as copies of one another; make them differ
    state = reference.state_dict()
    assert set(state) == set(param_shapes(config))
    x = torch.randn(2, 9, config.dim)
    with torch.no_grad():
        expected = reference(x)
        trace = transformer_forward(x, state, config)
        module = Transformer(config)
        module.load_state_dict(state)
        from_module = module(x).output
    assert len(trace.blocks) == 3 and (trace.final_norm is not None) == norm_first
    assert (trace.output - expected).abs().max() <= 1e-5
    assert (from_module - expected).abs().max() <= 1e-5
    for previous, block in zip(trace.blocks, trace.blocks[1:]):
        assert block.input is previous.output  # block i reads block i−1's output


@pytest.mark.parametrize("blocks", [1, 2, 3])
def test_the_first_blocks_alone_are_the_stacks_first_blocks(blocks):
    """``blocks=b`` runs blocks 0…b−1 only: their stages equal the full stack's, and the final norm comes only after
    the stack's last block."""
    config = TransformerConfig(dim=16, num_heads=4, mlp_dim=32, num_blocks=3, norm_first=True, final_norm=True)
    params = init_params(config, seed=1)
    x = torch.randn(7, config.dim)
    with torch.no_grad():
        full = transformer_forward(x, params, config)
        part = transformer_forward(x, params, config, blocks=blocks)
    assert len(part.blocks) == blocks
    for a, b in zip(part.blocks, full.blocks):
        for (name, t), (other, u) in zip(a.stages, b.stages):
            assert name == other and torch.equal(t, u)
    assert (part.final_norm is not None) == (blocks == 3)
    assert torch.equal(part.output, full.output if blocks == 3 else full.blocks[blocks - 1].output)
    with pytest.raises(ValueError, match="blocks must be between 1 and 3"):
        transformer_forward(x, params, config, blocks=4)


def test_stages_follow_the_notes_order_and_match_their_definitions():
    x = torch.randn(5, 8)
    for norm_first, names in ((False, POST_NORM_STAGES), (True, PRE_NORM_STAGES)):
        config = TransformerConfig(dim=8, num_heads=2, mlp_dim=16, num_blocks=1, norm_first=norm_first)
        trace = block_forward(x, {k[len("layers.0."):]: v for k, v in init_params(config, seed=3).items()}, config)
        assert tuple(name for name, _ in trace.stages) == names and len(trace.stages) == 7
        assert torch.equal(trace.residual1, x + trace.attention_output)
        if norm_first:
            assert torch.equal(trace.output, trace.residual2) and torch.equal(trace.residual2, trace.residual1 + trace.mlp_output)
        else:
            assert torch.equal(trace.output, trace.norm2) and torch.equal(trace.residual2, trace.norm1 + trace.mlp_output)
            # a LayerNorm output has mean 0 and variance 1 per token (γ = 1, β = 0)
            assert trace.norm1.mean(-1).abs().max() < 1e-5 and (trace.norm1.var(-1, unbiased=False) - 1).abs().max() < 1e-3


def test_only_self_attention_mixes_tokens():
    """Change one token: before attention only its row changes; from attention on, every row does."""
    config = TransformerConfig(dim=16, num_heads=4, mlp_dim=32, num_blocks=1)
    params = {k[len("layers.0."):]: v for k, v in init_params(config).items()}
    x = torch.randn(6, 16)
    edited = x.clone()
    edited[2] = torch.randn(16)
    before, after = block_forward(x, params, config), block_forward(edited, params, config)
    changed = {name: ((a - b).abs() > 1e-6).any(-1) for (name, a), (_, b) in zip(before.stages, after.stages)}
    assert changed["input"].tolist() == [False, False, True, False, False, False]
    for name in POST_NORM_STAGES[1:]:
        assert changed[name].all(), name


def test_bad_configs_and_parameters_give_clear_messages():
    with pytest.raises(ValueError, match="not divisible"):
        TransformerConfig(dim=10, num_heads=3)
    with pytest.raises(ValueError, match="unknown activation"):
        TransformerConfig(activation="swish")
    config = TransformerConfig(dim=8, num_heads=2, mlp_dim=16, num_blocks=2)
    params = init_params(config)
    check_params(params, config)
    params["layers.1.linear1.weight"] = torch.zeros(3, 8)
    with pytest.raises(ValueError, match=r"layers.1.linear1.weight has shape \(3, 8\), expected \(16, 8\)"):
        check_params(params, config)
    del params["layers.0.norm2.bias"]
    with pytest.raises(ValueError, match="missing parameter 'layers.0.norm2.bias'"):
        check_params(params, config)
    with pytest.raises(ValueError, match=r"\(N, 8\)"):
        transformer_forward(torch.zeros(3, 5), init_params(config), config)
    assert TransformerConfig.from_dict(config.to_dict()) == config
