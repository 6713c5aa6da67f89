#include <catch2/catch.hpp>

#include <string>

#include "ledger/crypto/keccak.h"

using namespace docket;

namespace {
std::string keccak_hex(ByteView b) { return to_hex(crypto::keccak256(b)); }
Bytes unhex(std::string_view h) {
  auto r = from_hex(h);
  REQUIRE(r.ok());
  return *r;
}
}  // namespace

TEST_CASE("keccak256 matches Ethereum's vectors") {
  // Keccak-256 (original padding), as web3.utils.keccak256 / ethers.keccak256 compute it.
  CHECK(keccak_hex(as_bytes("")) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  CHECK(keccak_hex(as_bytes("abc")) == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  CHECK(keccak_hex(as_bytes("hello")) == "1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");
  CHECK(keccak_hex(as_bytes("The quick brown fox jumps over the lazy dog")) ==
        "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
}

TEST_CASE("keccak256 matches the Keccak team's known-answer tests (KeccakKAT-3, ShortMsgKAT_256)") {
  // Byte-aligned rows of the round-3 submission's KAT, which uses the original 0x01 padding.
  // Lengths 134, 135, 136 and 137 put the padding two bytes, one byte, zero bytes (a block of its own)
  // and one byte past the 136-byte rate.
  struct Kat {
    size_t len;
    const char* msg;
    const char* md;
  };
  const Kat kats[] = {
      {1, "cc", "eead6dbfc7340a56caedc044696a168870549a6a7f6f56961e84a54bd9970b8a"},
      {33, "de8f1b3faa4b7040ed4563c3b8e598253178e87e4d0df75e4ff2f2dedd5a0be046",
       "e78c421e6213aff8de1f025759a4f2c943db62bbde359c8737e19b3776ed2dd2"},
      {134,
       "77ee804b9f3295ab2362798b72b0a1b2d3291dceb8139896355830f34b3b328561531f8079b79a6e9980705150866402fdc176c0"
       "5897e359a6cb1a7ab067383eb497182a7e5aef7038e4c96d133b2782917417e391535b5e1b51f47d8ed7e4d4025fe98dc87b9c16"
       "22614bff3d1029e68e372de719803857ca52067cddaad958951cb2068cc6",
       "fe71d01c2ee50e054d6b07147ef62954fde7e6959d6eeba68e3c94107eb0084d"},
      {135,
       "b771d5cef5d1a41a93d15643d7181d2a2ef0a8e84d91812f20ed21f147bef732bf3a60ef4067c3734b85bc8cd471780f10dc9e82"
       "91b58339a677b960218f71e793f2797aea349406512829065d37bb55ea796fa4f56fd8896b49b2cd19b43215ad967c712b24e503"
       "2d065232e02c127409d2ed4146b9d75d763d52db98d949d3b0fed6a8052fbb",
       "bd6f5492582a7c1b116304de28314df9fffe95b0da11af52fe9440a717a34859"},
      {136,
       "b32d95b0b9aad2a8816de6d06d1f86008505bd8c14124f6e9a163b5a2ade55f835d0ec3880ef50700d3b25e42cc0af050ccd1be5"
       "e555b23087e04d7bf9813622780c7313a1954f8740b6ee2d3f71f768dd417f520482bd3a08d4f222b4ee9dbd015447b33507dd50"
       "f3ab4247c5de9a8abd62a8decea01e3b87c8b927f5b08beb37674c6f8e380c04",
       "e717a7769448abbe5fef8187954a88ac56ded1d22e63940ab80d029585a21921"},
      {137,
       "04410e31082a47584b406f051398a6abe74e4da59bb6f85e6b49e8a1f7f2ca00dfba5462c2cd2bfde8b64fb21d70c083f11318b5"
       "6a52d03b81cac5eec29eb31bd0078b6156786da3d6d8c33098c5c47bb67ac64db14165af65b44544d806dde5f487d5373c7f9792"
       "c299e9686b7e5821e7c8e2458315b996b5677d926dac57b3f22da873c601016a0d",
       "a95d50b50b4545f0947441df74a1e9d74622eb3baa49c1bbfc3a0cce6619c1aa"},
  };
  for (const auto& k : kats) {
    Bytes msg = unhex(k.msg);
    INFO("length " << k.len);
    REQUIRE(msg.size() == k.len);
    CHECK(keccak_hex(msg) == k.md);
  }
}

TEST_CASE("keccak256 of the classic message set, up to one million bytes") {
  // The SHA-2 style test messages, as Keccak-256 (original padding) digests them.
  CHECK(keccak_hex(as_bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "45d3b367a6904e6e8d502ee04999a7c27647f91fa845d456525fd352ae3d7371");
  CHECK(keccak_hex(as_bytes("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
                            "lmnopqrsmnopqrstnopqrstu")) == "f519747ed599024f3882238e5ab43960132572b7345fbeb9a90769dafd21ad67");
  std::string million(1000000, 'a');
  CHECK(keccak_hex(as_bytes(million)) == "fadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96");
}

TEST_CASE("keccak256 is not FIPS SHA3-256") {
  // SHA3-256("") is a7ffc6f8...; getting it here would mean the 0x06 padding crept in.
  CHECK(keccak_hex(as_bytes("")) != "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
}
