package marketplace_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/marketplace/fakemarket"
)

// How the CLI uses the client: credentials from the environment or the keyring, a PUT of
// the draft checked by reading it back, and a v3 publish that reports formStatus.
func Example() {
	fake := fakemarket.New() // stands in for the Marketplace here
	defer fake.Close()
	fake.AddAccount(fakemarket.Account{Email: "partner@example.com", Token: "ATATT-example"})
	fake.AddApp(fakemarket.App{Key: "com.example.app"})

	env := map[string]string{marketplace.EnvEmail: "partner@example.com", marketplace.EnvToken: "ATATT-example"}
	creds, err := marketplace.LoadCredentials(func(k string) string { return env[k] })
	if errors.Is(err, marketplace.ErrNoCredentials) {
		// prompt for them, then marketplace.Login(email, marketplace.NewToken(token))
		return
	} else if err != nil {
		fmt.Println(err)
		return
	}
	client, err := marketplace.New(marketplace.Config{
		Credentials: creds,
		V2URL:       fake.URL(),   // from --api-url / PSTAB_API_URL; empty means the real one
		V3URL:       fake.V3URL(), // from --api-v3-url / PSTAB_API_V3_URL
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	info := map[string]any{"security": map[string]any{"isDiskEncryptionSupported": true}}

	// v2: write the draft, then read it back before saying it landed.
	if err := client.PutDraftV2(ctx, "com.example.app", info); err != nil {
		fmt.Println(err) // one sentence: 401, 403, the field a 400 names...
		return
	}
	draft, err := client.GetV2(ctx, "com.example.app", marketplace.Draft)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("v2 draft mismatches:", marketplace.Mismatches(info, draft.TrustInfo))

	// v3: find the listing's product id once from the vendor id (the store keeps both),
	// write, publish, read live.
	product, _, err := client.ResolveProduct(ctx, fakemarket.DefaultVendor, "com.example.app")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := client.PutDraftV3(ctx, product, info); err != nil {
		fmt.Println(err)
		return
	}
	if err := client.PublishV3(ctx, product); err != nil {
		fmt.Println(err)
		return
	}
	live, err := client.GetV3(ctx, product, marketplace.Live)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("formStatus:", live.FormStatus())

	_, err = client.GetV3(ctx, product, marketplace.Draft)
	fmt.Println(errors.Is(err, marketplace.ErrNoDraft), err)
	// Output:
	// v2 draft mismatches: []
	// formStatus: SUBMITTED
	// true no draft exists for com.example.app
}
